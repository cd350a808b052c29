// The Tiny World retrieval task: support tickets as queries, team descriptions as documents; relevance follows ROUTE's teams while the descriptions use TICK's category words.
//
// Each team is described in the words of the TICK category it shares most tickets with, and the manager's page in
// the words of refunds. So a ticket's surface words point at its TICK category's page while ROUTE sends it elsewhere:
// refunds that are late or missing go to cashdesk (money), return labels to the warehouse, app faults to techdesk,
// rude staff and demands to the manager. An off-the-shelf embedder ranks by the surface; fine-tuning on a few
// ticket → team pairs teaches the routing. Queries are split by phrase as ROUTE is (skills/ticket-skill.ts): no
// validation or test ticket shares its deciding phrase with a training pair.
import { Rng } from '../rng';
import { routeSkill } from './skills/route';
import { PHRASE_GROUPS, ROUTE_TEAMS, type RouteTeam } from './tickets';
import type { EvalRole, Split } from './types';

export const RETRIEVAL_TASK_VERSION = 'tiny-world-retrieval/1';

/** The corpus: one page per team (id = the team), written in TICK's category words; each fits the 64-character context. */
export const TEAM_DOCUMENTS: Record<RouteTeam, string> = {
  cashdesk: 'billing: charges, invoices, card payments and fees',
  techdesk: 'login help: passwords, sign in codes and accounts',
  warehouse: 'shipping: packages, orders, delivery and tracking',
  manager: 'refunds: money back, refund requests and returns',
};

export interface RetrievalDocument {
  _id: string;
  title?: string;
  text: string;
}

export interface RetrievalQuery {
  _id: string;
  text: string;
}

/** A training pair in sentence-transformers' shapes: {anchor, positive} or with a hard negative. */
export interface TrainingPair {
  anchor: string;
  positive: string;
  negative?: string;
}

/** Queries with their judged documents (BEIR's qrels): query id → doc id → grade. */
export interface RetrievalEvalSet {
  queries: RetrievalQuery[];
  qrels: Map<string, Map<string, number>>;
}

export interface RetrievalTask {
  version: string;
  corpus: RetrievalDocument[];
  pairs: TrainingPair[];
  /** Scored every few steps while training (eval role 'dev'). */
  validation: RetrievalEvalSet;
  /** The reported numbers (eval role 'report'). */
  test: RetrievalEvalSet;
}

export interface RetrievalTaskSpec {
  pairs: number;
  validationQueries?: number;
  testQueries?: number;
  seed?: number;
  /** Give each pair the page its surface words point at (when that is not its team's) as a hard negative. */
  hardNegatives?: boolean;
}

/** The team page a ticket's surface words point at: its phrase group's TICK category's page. */
const SURFACE_PAGE: Record<string, RouteTeam> = { billing: 'cashdesk', login: 'techdesk', shipping: 'warehouse', refund: 'manager' };

interface Ticket {
  text: string;
  team: RouteTeam;
  surface: RouteTeam | null;
}

/** `count` distinct tickets of a split (and eval role), teams drawn uniformly, ROUTE's wrappers stripped of the skill tag. */
function tickets(rng: Rng, count: number, split: Split, role: EvalRole | undefined, exclude: Set<string>): Ticket[] {
  const out: Ticket[] = [];
  const seen = new Set(exclude);
  for (let tries = 0; out.length < count && tries < count * 50; tries++) {
    const item = routeSkill.sample(rng, { shift: {}, split, role });
    const text = item.prompt.slice('ROUTE '.length, -1);
    if (seen.has(text)) continue;
    seen.add(text);
    const group = Number(item.tags?.find((t) => t.startsWith('phrase-group:'))?.slice('phrase-group:'.length));
    const tick = PHRASE_GROUPS[group]?.tick;
    out.push({ text, team: item.answer as RouteTeam, surface: tick ? SURFACE_PAGE[tick] : null });
  }
  return out;
}

/** The page a ticket's surface words point at (its phrase's TICK category's page), or null for ROUTE's own phrases and non-tickets. */
export function surfacePageOf(ticket: string): RouteTeam | null {
  const phrase = routeSkill.phraseOf(`ROUTE ${ticket}=`);
  const group = phrase === null ? undefined : routeSkill.phrases.find((p) => p.text === phrase)?.group;
  const tick = group === undefined ? undefined : PHRASE_GROUPS[group]?.tick;
  return tick ? SURFACE_PAGE[tick] : null;
}

function evalSet(list: Ticket[], prefix: string): RetrievalEvalSet {
  const queries = list.map((t, i) => ({ _id: `${prefix}${i + 1}`, text: t.text }));
  const qrels = new Map(list.map((t, i) => [`${prefix}${i + 1}`, new Map([[t.team, 1]])]));
  return { queries, qrels };
}

/** The task at a size: training pairs from the train phrases, validation and test queries from two disjoint eval roles. */
export function tinyWorldRetrievalTask(spec: RetrievalTaskSpec): RetrievalTask {
  const rng = new Rng(spec.seed ?? 1);
  const pairsRng = rng.fork();
  const valRng = rng.fork();
  const testRng = rng.fork();
  const corpus = ROUTE_TEAMS.map((team) => ({ _id: team, text: TEAM_DOCUMENTS[team] }));
  const train = tickets(new Rng(pairsRng), spec.pairs, 'train', undefined, new Set());
  const negRng = new Rng(pairsRng + 1);
  const pairs = train.map((t) => {
    const pair: TrainingPair = { anchor: t.text, positive: TEAM_DOCUMENTS[t.team] };
    if (spec.hardNegatives) {
      const other = t.surface && t.surface !== t.team ? t.surface : negRng.shuffle(ROUTE_TEAMS.filter((x) => x !== t.team))[0];
      pair.negative = TEAM_DOCUMENTS[other];
    }
    return pair;
  });
  const validation = evalSet(tickets(new Rng(valRng), spec.validationQueries ?? 64, 'eval', 'dev', new Set()), 'val-');
  const test = evalSet(tickets(new Rng(testRng), spec.testQueries ?? 200, 'eval', 'report', new Set()), 'q');
  return { version: RETRIEVAL_TASK_VERSION, corpus, pairs, validation, test };
}
