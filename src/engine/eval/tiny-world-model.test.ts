// The shipped Tiny World base models load through the app's own loader and reproduce their PyTorch per-skill scores.

import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import { readSafetensors } from '../io';
import { createModel } from '../models/causal-lm';
import type { ModelConfig } from '../models/config';
import { buildCharTokenizerJson, loadTokenizer } from '../tokenizers';
import { SINGLE_STEP_SKILLS, WORLD_CHARS, generateEvalSet, type SkillName } from '../world';
import { evaluateSuite } from './run-suite';
import { exactMatch } from './metrics';
import { evalModelOf, evalTokenizerOf } from './engine-adapter';
import type { Probe } from './types';

const MODELS_DIR = process.env.TINY_WORLD_MODELS ?? resolve(__dirname, '../../../public/models');
const models = existsSync(MODELS_DIR) ? readdirSync(MODELS_DIR).filter((d) => d.startsWith('tiny-world-')) : [];

/**
 * Single-step skills a shipped model is known to miss the 80% bar on (see its model_card.md): tiny-world-800k was
 * pretrained in five stages on a shared CPU; the last stage finished addition (84%) while TICK slipped to 76%.
 */
const KNOWN_GAPS: Record<string, SkillName[]> = { 'tiny-world-800k': ['TICK'] };

interface SkillScore {
  exact_match: number;
  n: number;
}
interface TrainingRecord {
  parameters: number;
  scores: Record<SkillName, SkillScore>;
  sample_scores: Record<SkillName, SkillScore>;
  /** PyTorch's greedy answers (text before the newline) on the same sample. */
  sample_predictions: Record<SkillName, string[]>;
  data: { evalPerSkill: number; evalSeed: number };
}

beforeAll(async () => {
  await initBackend('cpu');
});

test('at least one base model is shipped', () => {
  expect(models.length).toBeGreaterThan(0);
});

describe.each(models)('%s', (name) => {
  const folder = resolve(MODELS_DIR, name);
  const record = JSON.parse(readFileSync(resolve(folder, 'training.json'), 'utf8')) as TrainingRecord;

  test('its tokenizer.json is the data layer’s character tokenizer over WORLD_CHARS', () => {
    const shipped = JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(buildCharTokenizerJson(WORLD_CHARS))));
  });

  test('its model card claims ≥ 80% exact match on every single-step skill except its documented gaps', () => {
    const gaps = KNOWN_GAPS[name] ?? [];
    for (const skill of SINGLE_STEP_SKILLS) {
      if (gaps.includes(skill)) expect(record.scores[skill].exact_match, `${skill} now passes: drop it from KNOWN_GAPS`).toBeLessThan(0.8);
      else expect(record.scores[skill].exact_match, skill).toBeGreaterThanOrEqual(0.8);
    }
  });

  test('our engine reproduces the PyTorch per-skill scores on the documented sample', { timeout: 300_000 }, async () => {
    const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
    const weights = readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors'))));
    const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
    const model = createModel(config, weights);
    expect(model.numParams).toBe(record.parameters);
    const tensorsBefore = tf.memory().numTensors;
    const skills = Object.keys(record.sample_scores) as SkillName[];
    const probes: Probe[] = skills.map((skill) => ({
      name: skill,
      metric: 'exact_match',
      stop: '\n',
      maxNew: 12,
      // The same items, in the same order, as scripts/pretrain/export-corpus.mjs gave the PyTorch scorer.
      items: generateEvalSet(skill, record.data.evalPerSkill, record.data.evalSeed)
        .slice(0, record.sample_scores[skill].n)
        .map((e) => ({ prompt: e.prompt, target: e.completion.slice(0, -1) })),
    }));
    const result = await evaluateSuite(evalModelOf(model), evalTokenizerOf(tokenizer), { name, probes }, { scoring: 'one-by-one' });
    // The teacher-forced path (the default) gives every item the verdict greedy decoding gave it.
    const fast = await evaluateSuite(evalModelOf(model), evalTokenizerOf(tokenizer), { name, probes });
    for (const [p, probe] of probes.entries()) {
      const items = probe.metric === 'exact_match' ? probe.items : [];
      const verdicts = (preds: (string | number)[]) => preds.map((x, i) => exactMatch(String(x), items[i].target).numerator);
      expect(verdicts(fast.probes[p].predictions), probe.name).toEqual(verdicts(result.probes[p].predictions));
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    for (const probe of result.probes) {
      const skill = probe.probe as SkillName;
      const ours = probe.metrics.exact_match.value;
      const reference = record.sample_scores[skill].exact_match;
      // float32 kernels differ from PyTorch's in the last bits, so a near-tie may flip: allow one item in 25.
      expect(Math.abs(ours - reference), `${skill}: engine ${ours}, PyTorch ${reference}`).toBeLessThanOrEqual(1 / 25 + 1e-9);
      const same = probe.predictions.filter((p, i) => p === record.sample_predictions[skill][i]).length;
      expect(same, `${skill}: ${JSON.stringify(probe.predictions)} vs ${JSON.stringify(record.sample_predictions[skill])}`).toBeGreaterThanOrEqual(
        probe.predictions.length - 1,
      );
    }
    model.dispose();
  });
});
