// What a k-shot prompt needs of a base: its context, the longest eval item with k of the seed's shots, the largest k that fits.
import { skillProbe } from '../../eval/tiny-world-suite';
import type { SkillName } from '../../world';
import { cellExamples, cleanPoolSize } from '../cell-data';
import { EVAL_ROLE, EVAL_SEED } from '../suite';
import type { CellSettings } from '../types';

/**
 * Context (positions) of a base by its name: the shipped Tiny World bases (64, or the ctx-256 family's 256) and the
 * seed-initialised test base (64). Null for any other name (the page cannot know it before loading; the cell checks).
 */
export function baseContext(base: string): number | null {
  if (base.startsWith('seed:')) return 64;
  const ctx = /^tiny-world-ctx(\d+)-/.exec(base);
  if (ctx) return Number(ctx[1]);
  return base === 'tiny-world-400k' || base === 'tiny-world-800k' ? 64 : null;
}

/** A cell's settings that draw only the clean pool (the shots, or the fine-tuning data). */
const CLEAN: CellSettings = { trainSize: 0, labelNoise: 0, addedSize: 0, addedKind: 'noisy', addedNoise: 0, replay: 0, steps: 0, rank: 8, lr: 1e-3, batchSize: 8, balance: 0, reweight: 0 };

/**
 * The k shots of a seed: the first k examples of the same pool whose first N examples a fine-tuned cell of that seed
 * trains on (nested), never an eval item (cellExamples refuses one).
 */
export function shotsOf(seed: number, target: SkillName, k: number, evalSet: ReadonlySet<string>): { prompt: string; completion: string }[] {
  return cellExamples({ ...CLEAN, trainSize: k }, seed, target, evalSet);
}

/** Characters the longest reported eval item of the target needs with no shots: prompt, answer and the newline ending it. */
export function longestItem(target: SkillName, evalItems: number): number {
  const probe = skillProbe(target, evalItems, EVAL_SEED, EVAL_ROLE);
  if (probe.metric !== 'exact_match') throw new Error('exact-match probe expected');
  return Math.max(...probe.items.map((i) => i.prompt.length + i.target.length + 1));
}

/**
 * The largest k (up to `upTo`) whose shots fit before every eval item of every seed within `context` positions. Tiny
 * World bases are character-level (one token per character), so characters count positions; the eval cuts a longer
 * prompt from the left, which would drop shots silently.
 */
export function largestFittingShots(target: SkillName, seeds: number, evalItems: number, context: number, evalSet: ReadonlySet<string>, upTo: number): number {
  const room = context - longestItem(target, evalItems);
  let largest = Math.min(upTo, cleanPoolSize(target));
  for (let seed = 1; seed <= seeds; seed++) {
    const shots = shotsOf(seed, target, largest, evalSet);
    let used = 0;
    let k = 0;
    while (k < shots.length && used + shots[k].prompt.length + shots[k].completion.length <= room) used += shots[k].prompt.length + shots[k++].completion.length;
    largest = Math.min(largest, k);
  }
  return Math.max(0, largest);
}
