// The Capability ceiling preset's data: fact recall in a question phrasing no base saw in pretraining, split by entity per seed.
import { ExperimentSpecError } from '../../errors';
import type { EvalSuite, Probe } from '../../eval/types';
import { Rng } from '../../rng';
import { FACT_ATTRIBUTES, WORLD_ENTITIES, factValue, type FactAttribute, type WorldEntity } from '../../world/entities';

/** What a ceiling sweep varies and holds out: the bases (the sweep's axis) and how many entities' facts are trained. */
export interface CeilingSpec {
  /** Model folders under public/models; every cell loads its own and carries its weights' sha-256. */
  bases: string[];
  /** Entities whose facts (in the question phrasing) are fine-tuned on; the other entities' facts are the eval. */
  trainEntities: number;
}

/** The long-context family: the ablated twin (no FACT in pretraining), the 70k, 440k and 840k. */
export const CEILING_BASES = ['tiny-world-ctx256-70k-nofact', 'tiny-world-ctx256-70k', 'tiny-world-ctx256-440k', 'tiny-world-ctx256-840k'];

/** Probe names: the component (FACT as pretrained, on the held-out entities), the target on held-out and on trained entities. */
export const COMPONENT_PROBE = 'FACT (held-out entities)';
export const TARGET_PROBE = 'question (held-out entities)';
export const TRAIN_PROBE = 'question (trained entities)';

/** Context a base needs: the longest question line is under 40 characters; 64 leaves room and admits every shipped base. */
export const CEILING_MIN_CONTEXT = 64;

/**
 * The new phrasing, applied as a wrapper to a fact (like the Cohorts preset's forms): a question no pretraining line of
 * any base has (none holds "what is" or "'s "), naming the entity before the attribute as FACT does, so no base is
 * handicapped by the order ("what is tulol's color? " → "olive").
 */
export function questionOf(entity: string, attribute: FactAttribute): string {
  return `what is ${entity}'s ${attribute}? `;
}

/**
 * Refuses a seed whose training rows would name a held-out entity or hold a scored prompt (the split makes this
 * impossible; the check is what the experiment job runs before anything trains, as for every preset).
 */
export function checkCeilingData(seed: number, trainEntities: number): void {
  const { heldOut } = entitySplit(seed, trainEntities);
  const scored = new Set(ceilingSuite(seed, trainEntities).probes.slice(0, 2).flatMap((p) => p.items.map((i) => ('prompt' in i ? i.prompt : ''))));
  for (const row of ceilingExamples(seed, trainEntities)) {
    const entity = heldOut.find((e) => row.prompt.includes(` ${e.name}'`));
    if (entity || scored.has(row.prompt)) {
      throw new ExperimentSpecError(
        `The training row "${row.prompt}" of seed ${seed} asks about a held-out entity${entity ? ` (${entity.name})` : ''}: the eval would score a trained fact.`,
        'Keep the entity split (ceiling/spec.ts entitySplit): train on the trained entities only.',
      );
    }
  }
}

/** The pretraining phrasing of the same fact (Tiny World's FACT prompt). */
export function factPrompt(entity: string, attribute: FactAttribute): string {
  return `FACT ${entity} ${attribute}=`;
}

/** The seed's entity split: a seeded shuffle of the 20 entities, the first `trainEntities` trained, the rest held out. */
export function entitySplit(seed: number, trainEntities: number): { train: WorldEntity[]; heldOut: WorldEntity[] } {
  checkSplit(trainEntities);
  const order = new Rng(7919 * seed + 17).shuffle([...WORLD_ENTITIES]);
  return { train: order.slice(0, trainEntities), heldOut: order.slice(trainEntities) };
}

/** Why a split cannot run, or null: both sides need at least one entity. */
export function splitProblem(trainEntities: number): string | null {
  const n = WORLD_ENTITIES.length;
  if (!Number.isInteger(trainEntities) || trainEntities < 1 || trainEntities > n - 1) {
    return `Trained entities ${trainEntities} must be a whole number from 1 to ${n - 1}: Tiny World has ${n} entities, and at least one must be held out for the eval (and one trained for the format).`;
  }
  return null;
}

function checkSplit(trainEntities: number): void {
  const problem = splitProblem(trainEntities);
  if (problem) throw new ExperimentSpecError(problem, `Pick a number such as 12 (12 entities' facts trained, ${WORLD_ENTITIES.length - 12} held out).`);
}

function facts(entities: readonly WorldEntity[]): { entity: WorldEntity; attribute: FactAttribute }[] {
  return entities.flatMap((entity) => FACT_ATTRIBUTES.map((attribute) => ({ entity, attribute })));
}

/** The fine-tuning rows of one seed: every fact of the trained entities, in the question phrasing, in a seeded order. */
export function ceilingExamples(seed: number, trainEntities: number): { prompt: string; completion: string }[] {
  const rows = facts(entitySplit(seed, trainEntities).train).map(({ entity, attribute }) => ({ prompt: questionOf(entity.name, attribute), completion: `${factValue(entity, attribute)}\n` }));
  return new Rng(7919 * seed + 29).shuffle(rows);
}

function probe(name: string, items: { prompt: string; target: string }[]): Probe {
  return { name, metric: 'exact_match', items, stop: '\n' };
}

/**
 * One seed's probes, each item one fact: the component (the FACT prompt) and the target (the question) over the same
 * held-out facts in the same order, so item i pairs across them; the target over the trained facts says whether the
 * format was learnt.
 */
export function ceilingSuite(seed: number, trainEntities: number): EvalSuite {
  const { train, heldOut } = entitySplit(seed, trainEntities);
  const held = facts(heldOut);
  return {
    name: 'ceiling',
    probes: [
      probe(COMPONENT_PROBE, held.map(({ entity, attribute }) => ({ prompt: factPrompt(entity.name, attribute), target: factValue(entity, attribute) }))),
      probe(TARGET_PROBE, held.map(({ entity, attribute }) => ({ prompt: questionOf(entity.name, attribute), target: factValue(entity, attribute) }))),
      probe(TRAIN_PROBE, facts(train).map(({ entity, attribute }) => ({ prompt: questionOf(entity.name, attribute), target: factValue(entity, attribute) }))),
    ],
  };
}

/**
 * Chance on the held-out facts: the accuracy of answering every question of an attribute with the value that
 * attribute most often has among the trained entities (the best a model can do that learnt the format and the
 * training answers' frequencies but knows no held-out fact).
 */
export function chanceAccuracy(seed: number, trainEntities: number): number {
  const { train, heldOut } = entitySplit(seed, trainEntities);
  return chanceOf(train, heldOut);
}

/** The same rule over any two lists of entities (hand-checked in the tests). */
export function chanceOf(train: readonly WorldEntity[], heldOut: readonly WorldEntity[]): number {
  let hits = 0;
  for (const attribute of FACT_ATTRIBUTES) {
    const counts = new Map<string, number>();
    for (const e of train) counts.set(factValue(e, attribute), (counts.get(factValue(e, attribute)) ?? 0) + 1);
    const top = Math.max(...counts.values());
    // Ties: the expected accuracy of picking one of the most frequent values at random.
    const modes = [...counts].filter(([, c]) => c === top).map(([v]) => v);
    for (const e of heldOut) hits += modes.includes(factValue(e, attribute)) ? 1 / modes.length : 0;
  }
  return hits / (heldOut.length * FACT_ATTRIBUTES.length);
}
