// A Leakage cell's data: Tiny World lines as text (the members), held-out lines of the same pool (non-members), canaries.
import type { TextRecord } from '../../data/record';
import { ExperimentSpecError } from '../../errors';
import { buildCanaries, type CanaryLineage } from '../../privacy/canary-insert';
import { Rng } from '../../rng';
import { generateWorldDataset, type SkillName } from '../../world';
import type { CellSettings, LeakageSpec } from '../types';

/** The skills of the Leakage data: lines with random strings and numbers, which a model can memorise line by line. */
export const LEAKAGE_MIX: Partial<Record<SkillName, number>> = { ADD: 1, REV: 1, SORT: 1, UP: 1 };

/** Tiny World lines drawn per seed: members and non-members are both cut from them, so they share one distribution. */
export const LEAKAGE_POOL = 2400;

export interface LeakageData {
  /** The Tiny World lines trained on (whole lines, every token weighed): the membership attack's members. */
  members: TextRecord[];
  /** Lines of the same pool never trained on: the non-members. */
  nonMembers: TextRecord[];
  /** Inserted canaries, grouped by repetition count in the spec's order. */
  canaries: CanaryLineage[];
  /** Canaries of the same template, drawn the same way and never inserted. */
  controls: CanaryLineage[];
  /** What the cell trains on: the members, then every inserted canary's copies. */
  records: TextRecord[];
}

/** Where a template names whose secret it is: each canary and control gets its own subject, so its own prefix. */
export const WHO_SLOT = '{who}';

/**
 * The subjects put in place of {who}: lowercase names, one per canary and control. With one shared prefix greedy
 * decoding can emit only one secret per model, so at most one canary per run could ever count as extracted.
 */
export const LEAKAGE_SUBJECTS = ['ada', 'ben', 'cleo', 'dan', 'eve', 'finn', 'gus', 'hal', 'ivy', 'jon', 'kim', 'lea', 'max', 'nia', 'otto', 'pia', 'quin', 'rex', 'sam', 'tia', 'uma', 'vic', 'wes', 'zoe'];

/**
 * Each canary's and control's template, in the order the cell draws them (inserted canaries, then controls): the
 * template itself when it has no {who}, else the template with a distinct subject each, shuffled per seed so that no
 * name is tied to a repetition count.
 */
export function leakageTemplates(leakage: LeakageSpec, seed: number): string[] {
  const count = leakage.canariesPerCount * leakage.repetitions.length + leakage.controls;
  if (!leakage.template.includes(WHO_SLOT)) return Array.from({ length: count }, () => leakage.template);
  if (count > LEAKAGE_SUBJECTS.length) {
    throw new ExperimentSpecError(`The Leakage setup asks for ${count} canaries and controls, but only ${LEAKAGE_SUBJECTS.length} subjects can fill ${WHO_SLOT}.`, `Use at most ${LEAKAGE_SUBJECTS.length} canaries and controls in all, or a template without ${WHO_SLOT}.`);
  }
  const subjects = new Rng(7919 * seed + 13).shuffle([...LEAKAGE_SUBJECTS]);
  return subjects.slice(0, count).map((who) => leakage.template.replace(WHO_SLOT, who));
}

/** Rows one cell trains on: its Tiny World lines plus every copy of every inserted canary. */
export function leakageRows(settings: Pick<CellSettings, 'trainSize'>, leakage: LeakageSpec): number {
  return settings.trainSize + leakage.canariesPerCount * leakage.repetitions.reduce((s, r) => s + r, 0);
}

/**
 * Canaries with distinct lines: the seed-th draw of each slot, skipping a draw whose line an earlier canary already has
 * (two equal lines could not be told apart). `count` canaries from seeds first, first + 1, …
 */
function distinctCanaries(templates: string[], first: number, repetitions: number[], taken: Set<string>): { canaries: CanaryLineage[]; records: TextRecord[] } {
  const canaries: CanaryLineage[] = [];
  const records: TextRecord[] = [];
  let seed = first;
  for (const [k, r] of repetitions.entries()) {
    const template = templates[k];
    for (let tries = 0; ; tries++) {
      const built = buildCanaries([{ template, repetitions: r, seed: seed++ }], 1);
      const canary = built.canaries[0];
      if (!taken.has(canary.text)) {
        taken.add(canary.text);
        canaries.push(canary);
        records.push(...built.records);
        break;
      }
      if (tries > 1000) throw new ExperimentSpecError(`The template "${template}" has too few secrets for ${taken.size + 1} distinct canaries.`, 'Use a template with a larger secret slot, e.g. {dddd}.');
    }
  }
  return { canaries, records };
}

/** The data of one Leakage cell (seed → the same lines, canaries and controls; the method does not change them). */
export function leakageData(settings: Pick<CellSettings, 'trainSize'>, seed: number, leakage: LeakageSpec): LeakageData {
  const n = settings.trainSize;
  if (!Number.isInteger(n) || n < 2 || 2 * n > LEAKAGE_POOL) {
    throw new ExperimentSpecError(`Training-set size ${n} is not a whole number from 2 to ${LEAKAGE_POOL / 2}.`, `The Leakage preset draws members and as many non-members from ${LEAKAGE_POOL} lines per seed: pick a size in that range.`);
  }
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const e of generateWorldDataset({ mix: LEAKAGE_MIX, size: LEAKAGE_POOL, split: 'train', seed: 1000 * seed + 5 }).examples) {
    const text = (e.prompt + e.completion).replace(/\n$/, '');
    if (!seen.has(text)) {
      seen.add(text);
      lines.push(text);
    }
  }
  if (lines.length < 2 * n) throw new ExperimentSpecError(`Seed ${seed} drew only ${lines.length} distinct Tiny World lines; ${2 * n} are needed.`, `Pick a training-set size of at most ${Math.floor(lines.length / 2)}.`);
  const asRecord = (text: string, i: number): TextRecord => ({ kind: 'text', text, line: i + 1 });
  const members = lines.slice(0, n).map(asRecord);
  const nonMembers = lines.slice(n, 2 * n).map(asRecord);
  const taken = new Set(lines);
  const perCount = leakage.repetitions.flatMap((r) => Array.from({ length: leakage.canariesPerCount }, () => r));
  const templates = leakageTemplates(leakage, seed);
  const inserted = distinctCanaries(templates.slice(0, perCount.length), 1000 * seed + 100, perCount, taken);
  const controls = distinctCanaries(templates.slice(perCount.length), 1000 * seed + 600, Array.from({ length: leakage.controls }, () => 1), taken).canaries.map((c) => ({ ...c, repetitions: 0 }));
  const records = [...members, ...inserted.records.map((r, i) => ({ ...r, line: n + i + 1 }))];
  return { members, nonMembers, canaries: inserted.canaries, controls, records };
}
