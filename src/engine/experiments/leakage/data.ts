// A Leakage cell's data: Tiny World lines as text (the members), held-out lines of the same pool (non-members), canaries.
import type { TextRecord } from '../../data/record';
import { ExperimentSpecError } from '../../errors';
import { buildCanaries, type CanaryLineage } from '../../privacy/canary-insert';
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

/** Rows one cell trains on: its Tiny World lines plus every copy of every inserted canary. */
export function leakageRows(settings: Pick<CellSettings, 'trainSize'>, leakage: LeakageSpec): number {
  return settings.trainSize + leakage.canariesPerCount * leakage.repetitions.reduce((s, r) => s + r, 0);
}

/**
 * Canaries with distinct lines: the seed-th draw of each slot, skipping a draw whose line an earlier canary already has
 * (two equal lines could not be told apart). `count` canaries from seeds first, first + 1, …
 */
function distinctCanaries(template: string, first: number, repetitions: number[], taken: Set<string>): { canaries: CanaryLineage[]; records: TextRecord[] } {
  const canaries: CanaryLineage[] = [];
  const records: TextRecord[] = [];
  let seed = first;
  for (const r of repetitions) {
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
  const inserted = distinctCanaries(leakage.template, 1000 * seed + 100, perCount, taken);
  const controls = distinctCanaries(leakage.template, 1000 * seed + 600, Array.from({ length: leakage.controls }, () => 1), taken).canaries.map((c) => ({ ...c, repetitions: 0 }));
  const records = [...members, ...inserted.records.map((r, i) => ({ ...r, line: n + i + 1 }))];
  return { members, nonMembers, canaries: inserted.canaries, controls, records };
}
