// A cell's fine-tuning data: nested prefixes of seeded pools (clean target, added lower-quality, replay of old skills).
import { ExperimentSpecError } from '../errors';
import { Rng } from '../rng';
import { generateWorldDataset, PRETRAIN_MIX, ROUTE_PHRASES, SKILLS, TICK_PHRASES, type ShiftSpec, type SkillName, type WorldExample } from '../world';
import { isEvalItem } from './suite';
import type { CellSettings } from './types';

/**
 * Pools are generated once at a fixed capacity and cut to prefixes, so for one seed a larger training set always
 * contains the smaller one (the size axis compares like with like).
 */
export const POOL_CAPACITY = 2000;

const poolCache = new Map<string, WorldExample[]>();

function pool(name: string, mix: Partial<Record<SkillName, number>>, seed: number, shift?: ShiftSpec): WorldExample[] {
  const key = `${name}/${seed}`;
  let examples = poolCache.get(key);
  if (!examples) {
    examples = generateWorldDataset({ mix, size: POOL_CAPACITY, split: 'train', seed, shift }).examples;
    poolCache.set(key, examples);
  }
  return examples;
}

/**
 * Wrong labels on a prefix: example i is corrupted when its own seeded draw falls under `rate`, so the noisy examples
 * of a smaller prefix stay noisy in a larger one (rate is exact in expectation, not per prefix).
 */
function withLabelNoise(examples: WorldExample[], rate: number, seed: number): WorldExample[] {
  if (rate <= 0) return examples;
  const draws = new Rng(seed);
  return examples.map((e) => {
    const u = draws.next();
    const corruptRng = new Rng(draws.fork());
    if (u >= rate) return e;
    const answer = e.completion.replace(/\n$/, '');
    const wrong = SKILLS[e.skill].corrupt(corruptRng, { prompt: e.prompt, answer, key: e.prompt, tags: [] });
    return { ...e, completion: `${wrong}\n`, tags: [...e.tags, 'label-noise'] };
  });
}

/** The narrow slice of a skill: two of its labels and its first template. */
export function narrowShift(target: SkillName): ShiftSpec {
  const labels = Object.keys(target === 'TICK' ? TICK_PHRASES : ROUTE_PHRASES).slice(0, 2);
  return target === 'ROUTE' || target === 'TICK' ? { labels, templates: [0] } : { templates: [0] };
}

function checkSize(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > POOL_CAPACITY) {
    throw new ExperimentSpecError(`${what} ${n} is not a whole number from 0 to ${POOL_CAPACITY}.`, `Each pool holds ${POOL_CAPACITY} examples per seed: pick a size in that range.`);
  }
}

/**
 * The examples one cell trains on (same seed → the same pools; larger sizes extend smaller ones). `evalSet` holds the
 * experiment's eval prompts and held-out lines (suite.ts evalTexts): target data that would hit one is refused, and the
 * replay pool leaves them out (FACT is not split, so its pretraining lines are its eval items).
 */
export function cellExamples(settings: CellSettings, seed: number, target: SkillName, evalSet: ReadonlySet<string>): WorldExample[] {
  checkSize('Training-set size', settings.trainSize);
  checkSize('Added pool size', settings.addedSize);
  const clean = withLabelNoise(pool(`clean-${target}`, { [target]: 1 }, 1000 * seed + 1).slice(0, settings.trainSize), settings.labelNoise, 1000 * seed + 11);
  let added: WorldExample[] = [];
  if (settings.addedSize > 0) {
    if (settings.addedKind === 'narrow') {
      added = pool(`narrow-${target}`, { [target]: 1 }, 1000 * seed + 2, narrowShift(target)).slice(0, settings.addedSize);
    } else {
      added = withLabelNoise(pool(`added-${target}`, { [target]: 1 }, 1000 * seed + 2).slice(0, settings.addedSize), settings.addedNoise, 1000 * seed + 12);
    }
  }
  const targetData = [...clean, ...added];
  const leaked = new Set(targetData.filter((e) => isEvalItem(e, evalSet)).map((e) => e.prompt));
  if (leaked.size > 0) {
    throw new ExperimentSpecError(
      `${leaked.size} distinct ${target} training prompts of seed ${seed} are also eval items (e.g. "${[...leaked][0]}"): the eval would score memorised answers.`,
      `${target} items are not split into train and eval halves; fine-tune a split skill (e.g. ROUTE) instead.`,
    );
  }
  if (!(settings.replay >= 0 && settings.replay < 1)) throw new ExperimentSpecError(`Replay share ${settings.replay} is outside [0, 1).`, 'Use a share such as 0.2 (20% of the fine-tuning data from the base\'s old skills).');
  const replayCount = Math.round((targetData.length * settings.replay) / (1 - settings.replay));
  if (replayCount === 0) return targetData;
  const replayPool = pool('replay', PRETRAIN_MIX, 1000 * seed + 3).filter((e) => !isEvalItem(e, evalSet));
  if (replayCount > replayPool.length) {
    throw new ExperimentSpecError(
      `Replay share ${settings.replay} of ${targetData.length} examples needs ${replayCount} replay examples; the replay pool holds ${replayPool.length} (its eval items left out).`,
      `Lower the replay share or the training size (at most ${Math.floor((replayPool.length * (1 - settings.replay)) / settings.replay)} target examples at this share).`,
    );
  }
  return [...targetData, ...replayPool.slice(0, replayCount)];
}
