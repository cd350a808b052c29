// Measurement (not run in CI; TUNELAB_MEASURE_ERASURE=1): on tiny-world-400k, a canary seen 8 times, then forgotten two ways —
// exact retrain (same settings and seed, data minus its rows) and gradient ascent from the trained adapter — beside a never-inserted control.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { initBackend } from '../backend/init';
import type { DatasetRecord } from '../data/record';
import { tokenizeRecord } from '../data/tokenize-record';
import { readSafetensors } from '../io';
import { createModel } from '../models/causal-lm';
import type { ModelConfig } from '../models/config';
import { loadTokenizer } from '../tokenizers';
import { defaultTrainOptions, type TrainOptions } from '../train/options';
import { createTrainer, type Trainer } from '../train/trainer';
import { generateWorldDataset, toRecords } from '../world';
import { buildCanaries, type CanaryLineage } from './canary-insert';
import { measureExposure, measureExtraction } from './exposure';
import { privacyModelOf } from './privacy-model';

const folder = resolve(__dirname, '../../../public/models/tiny-world-400k');
const run = process.env.TUNELAB_MEASURE_ERASURE === '1' && existsSync(folder);
const STEPS = Number(process.env.TUNELAB_MEASURE_STEPS ?? 60);
const ASCENT_STEPS = Number(process.env.TUNELAB_MEASURE_ASCENT_STEPS ?? 5);

beforeAll(async () => {
  if (run) await initBackend('cpu');
});

test.skipIf(!run)('forgetting a canary on tiny-world-400k: exact retrain vs gradient ascent vs a control', { timeout: 7_200_000 }, async () => {
  const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
  const weights = readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors'))));
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
  const enc = { encode: (t: string) => tokenizer.encode(t), decode: (ids: number[]) => tokenizer.decode(ids) };
  const mix = { ADD: 1, REV: 1, SORT: 1, UP: 1, FACT: 1 };
  const train: DatasetRecord[] = toRecords(generateWorldDataset({ mix, size: 160, split: 'train', seed: 1 }).examples).map((r, i) => ({ kind: 'prompt-completion', prompt: r.prompt, completion: r.completion, line: i + 1 }));
  const template = 'my account pin is {ddddd}';
  const { canaries, records } = buildCanaries([{ template, repetitions: 8, seed: 101 }], train.length + 1);
  const control = buildCanaries([{ template, repetitions: 1, seed: 999 }], 1).canaries[0]; // never inserted
  const tok = (rs: DatasetRecord[]) => rs.map((r) => tokenizeRecord(r, tokenizer, { maxSeqLen: 64 }));
  const options: TrainOptions = { ...defaultTrainOptions, method: 'lora', lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['c_attn', 'c_proj', 'c_fc'] }, lr: 3e-3, maxSteps: STEPS, batchSize: 8, seed: 1, maxSeqLen: 64 };

  const readings: Record<string, unknown>[] = [];
  async function measure(label: string, trainer: Trainer, model: ReturnType<typeof createModel>): Promise<void> {
    const tuned = privacyModelOf(model, trainer.lora);
    for (const c of [{ ...canaries[0], role: 'forgotten ×8' }, { ...(control as CanaryLineage), role: 'control (never inserted)' }]) {
      const e = await measureExposure(tuned, enc, c.template, c.choices);
      const x = await measureExtraction(tuned, enc, c.template, c.choices);
      const row = { model: label, canary: c.role, secret: c.secret, exposure: +e.exposure.toFixed(2), rank: e.rank, extracted: x.extracted, emitted: x.emitted };
      console.log(JSON.stringify(row));
      readings.push(row);
    }
  }
  async function trainRun(data: DatasetRecord[], opts: TrainOptions, label: string) {
    const model = createModel(config, weights);
    const trainer = createTrainer(model, tok(data), opts);
    await trainer.ready;
    const t0 = performance.now();
    let loss = 0;
    for (let s = 0; s < opts.maxSteps; s++) loss = (await trainer.step()).loss;
    console.log(`${label}: ${opts.maxSteps} steps, ${((performance.now() - t0) / opts.maxSteps).toFixed(0)} ms/step, last loss ${loss.toFixed(3)}`);
    return { model, trainer };
  }

  if (process.env.TUNELAB_MEASURE_BASE_ONLY === '1') {
    // The reference for a secret nobody trained on: the base model itself (no adapter), same two secrets.
    const base = createModel(config, weights);
    const tuned = privacyModelOf(base, null);
    for (const c of [{ ...canaries[0], role: 'forgotten ×8' }, { ...(control as CanaryLineage), role: 'control (never inserted)' }]) {
      const e = await measureExposure(tuned, enc, c.template, c.choices);
      console.log(JSON.stringify({ model: 'base (no fine-tune)', canary: c.role, secret: c.secret, exposure: +e.exposure.toFixed(2), rank: e.rank }));
    }
    base.dispose();
    return;
  }
  const original = await trainRun([...train, ...records], options, 'original');
  await measure('original (trained with the canary)', original.trainer, original.model);
  // Gradient ascent: a few steps on the canary's rows only, from the original adapter, same lr.
  const ascentStart = original.trainer.adapterWeights();
  original.trainer.dispose();
  original.model.dispose();
  const ascent = await trainRun(records, { ...options, maxSteps: ASCENT_STEPS, warmupSteps: 0, schedule: 'constant', initialAdapter: ascentStart, gradientAscent: true }, 'gradient ascent');
  await measure(`gradient ascent (${ASCENT_STEPS} steps)`, ascent.trainer, ascent.model);
  ascent.trainer.dispose();
  ascent.model.dispose();
  const retrain = await trainRun(train, options, 'exact retrain');
  await measure('exact retrain (without the canary)', retrain.trainer, retrain.model);
  retrain.trainer.dispose();
  retrain.model.dispose();
  console.log(JSON.stringify({ steps: STEPS, ascentSteps: ASCENT_STEPS, readings }, null, 1));
  expect(readings).toHaveLength(6);
});
