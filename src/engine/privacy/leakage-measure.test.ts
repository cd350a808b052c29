// Measurement (not run in CI; TUNELAB_MEASURE_LEAKAGE=1): a short real LoRA run on tiny-world-400k with canaries at 1, 8 and 16 repetitions, their exposure, the MIA AUC, and ranking time vs a training step.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { initBackend } from '../backend/init';
import type { DatasetRecord } from '../data/record';
import { tokenizeRecord } from '../data/tokenize-record';
import { readSafetensors } from '../io';
import { createModel } from '../models/causal-lm';
import type { ModelConfig } from '../models/config';
import { Rng } from '../rng';
import { loadTokenizer } from '../tokenizers';
import { defaultTrainOptions } from '../train/options';
import { createTrainer } from '../train/trainer';
import { generateWorldDataset, toRecords } from '../world';
import { buildCanaries } from './canary-insert';
import { measureExposure, measureExtraction } from './exposure';
import { membershipInference } from './mia';
import { privacyModelOf } from './privacy-model';

const folder = resolve(__dirname, '../../../public/models/tiny-world-400k');
const run = process.env.TUNELAB_MEASURE_LEAKAGE === '1' && existsSync(folder);
const STEPS = Number(process.env.TUNELAB_MEASURE_STEPS ?? 150);

beforeAll(async () => {
  if (run) await initBackend('cpu');
});

test.skipIf(!run)('leakage of a short LoRA run on tiny-world-400k', { timeout: 3_600_000 }, async () => {
  const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
  const model = createModel(config, readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors')))));
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
  const mix = { ADD: 1, REV: 1, SORT: 1, UP: 1, FACT: 1 };
  const asRecords = (split: 'train' | 'eval', size: number, seed: number): DatasetRecord[] =>
    toRecords(generateWorldDataset({ mix, size, split, seed }).examples).map((r, i) => ({ kind: 'prompt-completion', prompt: r.prompt, completion: r.completion, line: i + 1 }));
  const train = asRecords('train', 160, 1);
  const held = asRecords('eval', 80, 2);
  const template = 'my account pin is {ddddd}';
  const { canaries, records } = buildCanaries((process.env.TUNELAB_MEASURE_REPS ?? '1,8,16').split(',').map(Number).map((repetitions, i) => ({ template, repetitions, seed: 100 + i })), train.length + 1);
  const control = buildCanaries([{ template, repetitions: 1, seed: 999 }], 1).canaries[0]; // never inserted
  const opts = { maxSeqLen: 64 };
  const examples = [...train, ...records].map((r) => tokenizeRecord(r, tokenizer, opts));
  const trainer = createTrainer(model, examples, { ...defaultTrainOptions, method: 'lora', lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['c_attn', 'c_proj', 'c_fc'] }, lr: 3e-3, maxSteps: STEPS, batchSize: 8, seed: 1, maxSeqLen: 64 });
  await trainer.ready;
  const t0 = performance.now();
  let loss = 0;
  for (let s = 0; s < STEPS; s++) loss = (await trainer.step()).loss;
  const stepMs = (performance.now() - t0) / STEPS;
  console.log(`trained ${STEPS} steps, ${stepMs.toFixed(0)} ms/step, final loss ${loss.toFixed(3)}`);
  const tuned = privacyModelOf(model, trainer.lora);
  const enc = { encode: (t: string) => tokenizer.encode(t), decode: (ids: number[]) => tokenizer.decode(ids) };
  const rows = [];
  let rankMs = 0;
  for (const c of [...canaries, { ...control, repetitions: 0 }]) {
    const t1 = performance.now();
    const e = await measureExposure(tuned, enc, c.template, c.choices);
    rankMs = performance.now() - t1;
    const x = await measureExtraction(tuned, enc, c.template, c.choices);
    console.log(`canary ×${c.repetitions}: exposure ${e.exposure.toFixed(2)} (rank ${e.rank}), ranked in ${rankMs.toFixed(0)} ms, extracted ${x.extracted}`);
    rows.push({ repetitions: c.repetitions, secret: c.secret, exposure: +e.exposure.toFixed(2), rank: e.rank, forwardRows: e.forwardRows, extracted: x.extracted, emitted: x.emitted });
  }
  const rng = new Rng(3);
  const mia = (rs: typeof train) => rng.shuffle([...rs]).slice(0, 80).map((r) => {
    const ex = tokenizeRecord(r, tokenizer, opts);
    return { ids: ex.ids, from: ex.weights.findIndex((w) => w > 0) };
  });
  const report = await membershipInference(tuned, privacyModelOf(model, null), mia(train), mia(held), 1);
  const summary = {
    steps: STEPS, finalLoss: loss, stepMs: Math.round(stepMs), rank1e5Ms: Math.round(rankMs), ratio: +(rankMs / stepMs).toFixed(2), canaries: rows,
    mia: { loss: { auc: report.loss.auc, ci: report.loss.ci, tprAt1Fpr: report.loss.tprAt1Fpr }, calibrated: { auc: report.calibrated!.auc, ci: report.calibrated!.ci, tprAt1Fpr: report.calibrated!.tprAt1Fpr } },
  };
  console.log(JSON.stringify(summary, null, 1));
  expect(rows).toHaveLength(canaries.length + 1);
  trainer.dispose();
  model.dispose();
});
