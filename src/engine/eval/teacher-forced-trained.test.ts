// On a partly fine-tuned Tiny World model (half-learnt target, half-forgotten skills) the teacher-forced exact match
// gives every item greedy decoding's verdict; prints the time of both.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { initBackend } from '../backend/init';
import { tokenizeRecord } from '../data/tokenize-record';
import { readSafetensors } from '../io';
import { createModel } from '../models/causal-lm';
import type { ModelConfig } from '../models/config';
import { loadTokenizer } from '../tokenizers';
import { createTrainer } from '../train/trainer';
import { defaultTrainOptions } from '../train/options';
import { generateWorldDataset, type SkillName } from '../world';
import { evalModelOf, evalTokenizerOf } from './eval-model';
import { exactMatch } from './metrics';
import { evaluateSuite } from './run-suite';
import { skillProbe } from './tiny-world-suite';

const folder = resolve(__dirname, '../../../public/models/tiny-world-800k');

// ~110 s on CI's CPUs: run with TUNELAB_SLOW_CHECKS=1 (few-shot-cut.test.ts compares both paths on every CI run).
test.skipIf(!existsSync(folder) || !process.env.TUNELAB_SLOW_CHECKS)('teacher-forced and greedy exact match agree item by item on a partly fine-tuned model', { timeout: 900_000 }, async () => {
  await initBackend('cpu');
  const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
  const model = createModel(config, readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors')))));
  const data = generateWorldDataset({ mix: { ROUTE: 1 }, size: 200, split: 'train', seed: 3 }).examples.map((e, i) =>
    tokenizeRecord({ kind: 'prompt-completion', line: i + 1, prompt: e.prompt, completion: e.completion }, tokenizer, { maxSeqLen: 64, appendEos: false }),
  );
  const trainer = createTrainer(model, data, {
    ...defaultTrainOptions,
    method: 'lora',
    lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['c_attn', 'c_proj', 'c_fc'] },
    lr: 3e-3,
    maxSteps: 8,
    batchSize: 8,
    seed: 1,
    maxSeqLen: 64,
  });
  for (let i = 0; i < 8; i++) await trainer.step();
  const skills: SkillName[] = ['ROUTE', 'TICK', 'REV', 'FACT', 'ADD'];
  const suite = { name: 'partly trained', probes: skills.map((s) => skillProbe(s, 10, 1001)) };
  const evalModel = evalModelOf(model, trainer.lora);
  let t0 = performance.now();
  const greedy = await evaluateSuite(evalModel, evalTokenizerOf(tokenizer), suite, { scoring: 'one-by-one', resamples: 10 });
  const greedyMs = performance.now() - t0;
  t0 = performance.now();
  const fast = await evaluateSuite(evalModel, evalTokenizerOf(tokenizer), suite, { resamples: 10 });
  const fastMs = performance.now() - t0;
  console.log(`${skills.length * 10} items: greedy ${greedyMs.toFixed(0)} ms, teacher-forced ${fastMs.toFixed(0)} ms (${(greedyMs / fastMs).toFixed(1)}×)`);
  let right = 0;
  for (const [p, probe] of suite.probes.entries()) {
    if (probe.metric !== 'exact_match') continue;
    const verdicts = (preds: (string | number)[]) => preds.map((x, i) => exactMatch(String(x), probe.items[i].target).numerator);
    expect(verdicts(fast.probes[p].predictions), probe.name).toEqual(verdicts(greedy.probes[p].predictions));
    right += verdicts(greedy.probes[p].predictions).reduce((a, b) => a + b, 0);
  }
  // The model is in between: some answers right, many wrong (otherwise the comparison would test little).
  expect(right).toBeGreaterThan(5);
  expect(right).toBeLessThan(skills.length * 10 - 5);
  trainer.dispose();
  model.dispose();
});
