// A cell's fine-tuning data: nested prefixes of seeded pools (clean target, added lower-quality, replay of old skills).
import { ExperimentSpecError } from '../errors';
import { Rng } from '../rng';
import { generateWorldDataset, PRETRAIN_MIX, ROUTE_TEAMS, SKILLS, TICK_LABELS, ticketPhraseOf, type ShiftSpec, type SkillName, type WorldDatasetSpec, type WorldExample } from '../world';
import { isEvalItem } from './suite';
import type { CellSettings } from './types';

/**
 * Pools are generated once at a fixed capacity and cut to prefixes, so for one seed a larger training set always
 * contains the smaller one (the size axis compares like with like).
 */
export const POOL_CAPACITY = 2000;

const poolCache = new Map<string, WorldExample[]>();

/** Distinct examples a seed's clean pool of one skill holds: the capacity, or all of a smaller skill's train items. */
export function cleanPoolSize(target: SkillName): number {
  return Math.min(POOL_CAPACITY, SKILLS[target].poolSize('train', undefined, {}).count);
}

function pool(name: string, mix: Partial<Record<SkillName, number>>, seed: number, shift?: ShiftSpec, sampling: WorldDatasetSpec['sampling'] = 'distinct'): WorldExample[] {
  const key = `${name}/${seed}`;
  let examples = poolCache.get(key);
  if (!examples) {
    // A skill with fewer distinct train items than the capacity (FACT's 60 facts) fills its pool with all of them.
    const skills = Object.keys(mix) as SkillName[];
    const size = sampling === 'distinct' && skills.length === 1 ? Math.min(POOL_CAPACITY, SKILLS[skills[0]].poolSize('train', undefined, shift ?? {}).count) : POOL_CAPACITY;
    examples = generateWorldDataset({ mix, size, split: 'train', seed, shift, sampling }).examples;
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

/**
 * The narrow slice of a skill: for the ticket skills two of its four labels and two of its wrappers (the bare phrase,
 * and the phrase with an order or ticket number), so the slice still holds hundreds of thousands of distinct prompts;
 * for the others their first template.
 */
export function narrowShift(target: SkillName): ShiftSpec {
  if (target === 'TICK') return { labels: TICK_LABELS.slice(0, 2), templates: [0, 6] };
  if (target === 'ROUTE') return { labels: ROUTE_TEAMS.slice(0, 2), templates: [0, 6] };
  return { templates: [0] };
}

function checkSize(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > POOL_CAPACITY) {
    throw new ExperimentSpecError(`${what} ${n} is not a whole number from 0 to ${POOL_CAPACITY}.`, `Each pool holds ${POOL_CAPACITY} examples per seed: pick a size in that range.`);
  }
}

/** A prefix of a pool, refused when the pool holds fewer distinct examples than asked for (never padded with repeats). */
function prefix(examples: WorldExample[], n: number, what: string): WorldExample[] {
  if (n > examples.length) {
    throw new ExperimentSpecError(`${what} ${n} is more than the ${examples.length} distinct examples its pool holds.`, `Pick a size of at most ${examples.length}, or repeat examples on purpose (more steps = more epochs).`);
  }
  return examples.slice(0, n);
}

/**
 * The examples one cell trains on (same seed → the same pools; larger sizes extend smaller ones). `evalSet` holds the
 * experiment's eval prompts and held-out lines (suite.ts evalTexts): target data that would hit one is refused, and the
 * replay pool leaves them out (FACT is not split, so its pretraining lines are its eval items).
 */
export function cellExamples(settings: CellSettings, seed: number, target: SkillName, evalSet: ReadonlySet<string>): WorldExample[] {
  checkSize('Training-set size', settings.trainSize);
  checkSize('Added pool size', settings.addedSize);
  const clean = withLabelNoise(prefix(pool(`clean-${target}`, { [target]: 1 }, 1000 * seed + 1), settings.trainSize, `Training-set size of ${target}`), settings.labelNoise, 1000 * seed + 11);
  let added: WorldExample[] = [];
  if (settings.addedSize > 0) {
    if (settings.addedKind === 'narrow') {
      // Really new data: no prompt of the seed's clean pool (which the cell may train on), narrower in labels and wrappers.
      const cleanPrompts = new Set(pool(`clean-${target}`, { [target]: 1 }, 1000 * seed + 1).map((e) => e.prompt));
      added = pool(`narrow-${target}`, { [target]: 1 }, 1000 * seed + 2, narrowShift(target))
        .filter((e) => !cleanPrompts.has(e.prompt))
        .slice(0, settings.addedSize);
      if (added.length < settings.addedSize) {
        throw new ExperimentSpecError(`The narrow pool of seed ${seed} holds ${added.length} examples not in the clean pool; ${settings.addedSize} were asked for.`, `Pick an added size of at most ${added.length}.`);
      }
    } else {
      added = withLabelNoise(prefix(pool(`added-${target}`, { [target]: 1 }, 1000 * seed + 2), settings.addedSize, `Added pool size of ${target}`), settings.addedNoise, 1000 * seed + 12);
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
  // The ticket skills' label is decided by the phrase: an eval item of the target whose phrase is trained is a seen item in a new wrapper.
  const evalPhrases = new Set([...evalSet].filter((t) => t.startsWith(`${target} `)).map(ticketPhraseOf).filter((p): p is string => p !== null));
  const seenPhrase = evalPhrases.size ? targetData.find((e) => evalPhrases.has(ticketPhraseOf(e.prompt) ?? '')) : undefined;
  if (seenPhrase) {
    throw new ExperimentSpecError(
      `The ${target} training prompt "${seenPhrase.prompt}" (seed ${seed}) has the phrase of an eval item: the eval would score a seen phrase in a new wrapper.`,
      'Draw the eval items from the eval split (experiments/suite.ts) and the training data from the train split.',
    );
  }
  if (!(settings.replay >= 0 && settings.replay < 1)) throw new ExperimentSpecError(`Replay share ${settings.replay} is outside [0, 1).`, 'Use a share such as 0.2 (20% of the fine-tuning data from the base\'s old skills).');
  const replayCount = Math.round((targetData.length * settings.replay) / (1 - settings.replay));
  if (replayCount === 0) return targetData;
  // The replay pool replays the pretraining stream: independent draws, so FACT's 60 facts recur as they did in pretraining.
  const replayPool = pool('replay', PRETRAIN_MIX, 1000 * seed + 3, undefined, 'independent').filter((e) => !isEvalItem(e, evalSet));
  if (replayCount > replayPool.length) {
    throw new ExperimentSpecError(
      `Replay share ${settings.replay} of ${targetData.length} examples needs ${replayCount} replay examples; the replay pool holds ${replayPool.length} (its eval items left out).`,
      `Lower the replay share or the training size (at most ${Math.floor((replayPool.length * (1 - settings.replay)) / settings.replay)} target examples at this share).`,
    );
  }
  return [...targetData, ...replayPool.slice(0, replayCount)];
}
