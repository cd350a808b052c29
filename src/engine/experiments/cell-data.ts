// A cell's fine-tuning data: nested prefixes of seeded pools (clean target, added lower-quality, replay of old skills).
import { Rng } from '../rng';
import { generateWorldDataset, PRETRAIN_MIX, ROUTE_PHRASES, SKILLS, TICK_PHRASES, type ShiftSpec, type SkillName, type WorldExample } from '../world';
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
  if (!Number.isInteger(n) || n < 0 || n > POOL_CAPACITY) throw new RangeError(`${what} ${n} must be a whole number from 0 to ${POOL_CAPACITY}.`);
}

/** The examples one cell trains on (same seed → the same pools; larger sizes extend smaller ones). */
export function cellExamples(settings: CellSettings, seed: number, target: SkillName): WorldExample[] {
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
  if (!(settings.replay >= 0 && settings.replay < 1)) throw new RangeError(`Replay share ${settings.replay} must be in [0, 1).`);
  const replayCount = Math.min(POOL_CAPACITY, Math.round((targetData.length * settings.replay) / (1 - settings.replay)));
  const replay = replayCount > 0 ? pool('replay', PRETRAIN_MIX, 1000 * seed + 3).slice(0, replayCount) : [];
  return [...targetData, ...replay];
}
