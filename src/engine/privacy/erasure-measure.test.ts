// Measurement (not run in CI; TUNELAB_MEASURE_ERASURE=1): on tiny-world-400k, per seed a canary seen 8 times, then forgotten two ways —
// exact retrain (same settings and seed, data minus its rows) and gradient ascent from the trained adapter — beside ERASURE_CONTROLS (50)
// never-inserted controls, each secret also ranked on the base (the adapter switched off) for the calibrated comparison.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import type { DatasetRecord } from '../data/record';
import { tokenizeRecord } from '../data/tokenize-record';
import { readSafetensors } from '../io';
import { createModel } from '../models/causal-lm';
import type { ModelConfig } from '../models/config';
import { loadTokenizer } from '../tokenizers';
import { defaultTrainOptions, type TrainOptions } from '../train/options';
import { createTrainer, type Trainer } from '../train/trainer';
import { generateWorldDataset, toRecords } from '../world';
import { initNodeBackend, type NodeBackend } from '../../../scripts/experiments/backend';
import { buildCanaries } from './canary-insert';
import { controlCanaries, controlInterval, ERASURE_CONTROLS, shiftInterval, versusInterval } from './control-canary';
import { measureExposures, measureExtraction } from './exposure';
import { privacyModelOf } from './privacy-model';

const folder = resolve(__dirname, '../../../public/models/tiny-world-400k');
const run = process.env.TUNELAB_MEASURE_ERASURE === '1' && existsSync(folder);
const STEPS = Number(process.env.TUNELAB_MEASURE_STEPS ?? 60);
const ASCENT_STEPS = Number(process.env.TUNELAB_MEASURE_ASCENT_STEPS ?? 5);
const SEEDS = (process.env.TUNELAB_MEASURE_SEEDS ?? '1,2,3').split(',').map(Number);
const BACKEND = (process.env.TUNELAB_MEASURE_BACKEND ?? 'wasm') as NodeBackend;

beforeAll(async () => {
  if (run) console.log(`backend ${await initNodeBackend(BACKEND)}`);
});

test.skipIf(!run)('forgetting a canary on tiny-world-400k: exact retrain vs gradient ascent vs never-inserted controls, several seeds', { timeout: 14_400_000 }, async () => {
  const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
  const weights = readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors'))));
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
  const enc = { encode: (t: string) => tokenizer.encode(t), decode: (ids: number[]) => tokenizer.decode(ids) };
  const mix = { ADD: 1, REV: 1, SORT: 1, UP: 1, FACT: 1 };
  const train: DatasetRecord[] = toRecords(generateWorldDataset({ mix, size: 160, split: 'train', seed: 1 }).examples).map((r, i) => ({ kind: 'prompt-completion', prompt: r.prompt, completion: r.completion, line: i + 1 }));
  const template = 'my account pin is {ddddd}';
  const tok = (rs: DatasetRecord[]) => rs.map((r) => tokenizeRecord(r, tokenizer, { maxSeqLen: 64 }));

  type Reading = { seed: number; model: string; secret: string; exposure: number; rank: number; baseExposure: number; extracted: boolean; emitted: string; controls: { secret: string; exposure: number; rank: number; baseExposure: number }[]; stepMs: number; rankMs: number };
  const readings: Reading[] = [];
  for (const seed of SEEDS) {
    // Seed s: the canary's secret drawn from seed 100 + s (s = 1 is the first, one-seed measurement's), training seed s.
    const { canaries, records } = buildCanaries([{ template, repetitions: 8, seed: 100 + seed }], train.length + 1);
    const canary = canaries[0];
    const controls = controlCanaries(canary, canaries, null, ERASURE_CONTROLS); // never inserted anywhere
    const options: TrainOptions = { ...defaultTrainOptions, method: 'lora', lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['c_attn', 'c_proj', 'c_fc'] }, lr: 3e-3, maxSteps: STEPS, batchSize: 8, seed, maxSeqLen: 64 };
    // The base's exposures of the same secrets (no adapter): the calibrated comparison's reference, once per seed.
    const baseModel = createModel(config, weights);
    const onBase = await measureExposures(privacyModelOf(baseModel, null), enc, template, [canary.choices, ...controls.map((x) => x.choices)]);
    baseModel.dispose();
    const measure = async (label: string, lora: Trainer['lora'] | null, model: ReturnType<typeof createModel>, stepMs: number) => {
      const tuned = privacyModelOf(model, lora);
      const t0 = performance.now();
      const [e, ...c] = await measureExposures(tuned, enc, template, [canary.choices, ...controls.map((x) => x.choices)]);
      const rankMs = performance.now() - t0;
      const x = await measureExtraction(tuned, enc, template, canary.choices);
      const row: Reading = {
        seed, model: label, secret: canary.secret, exposure: +e.exposure.toFixed(3), rank: e.rank, baseExposure: +onBase[0].exposure.toFixed(3), extracted: x.extracted, emitted: x.emitted,
        controls: controls.map((k, i) => ({ secret: k.secret, exposure: +c[i].exposure.toFixed(3), rank: c[i].rank, baseExposure: +onBase[i + 1].exposure.toFixed(3) })), stepMs: Math.round(stepMs), rankMs: Math.round(rankMs),
      };
      const iv = controlInterval(row.controls.map((k) => k.exposure))!;
      const sv = shiftInterval(row.controls.map((k) => k.exposure), row.controls.map((k) => k.baseExposure))!;
      console.log(`seed ${seed} ${label}: canary ${row.secret} ${row.exposure} bits (rank ${row.rank}, extracted ${row.extracted}; base ${row.baseExposure}); controls ${iv.low.toFixed(2)}–${iv.high.toFixed(2)} bits → ${versusInterval(row.exposure, iv)}; shift ${(row.exposure - row.baseExposure).toFixed(2)} vs controls' shifts ${sv.low.toFixed(2)}–${sv.high.toFixed(2)} → ${versusInterval(row.exposure - row.baseExposure, sv)}; ranked in ${rankMs.toFixed(0)} ms`);
      console.log(JSON.stringify(row));
      readings.push(row);
    };
    const trainRun = async (data: DatasetRecord[], opts: TrainOptions, label: string) => {
      const model = createModel(config, weights);
      const trainer = createTrainer(model, tok(data), opts);
      await trainer.ready;
      const t0 = performance.now();
      let loss = 0;
      for (let s = 0; s < opts.maxSteps; s++) loss = (await trainer.step()).loss;
      const stepMs = (performance.now() - t0) / opts.maxSteps;
      console.log(`seed ${seed} ${label}: ${opts.maxSteps} steps, ${stepMs.toFixed(0)} ms/step, last loss ${loss.toFixed(3)}`);
      return { model, trainer, stepMs };
    };

    if (process.env.TUNELAB_MEASURE_BASE_ONLY === '1') {
      // The reference for secrets nobody trained on: the base model itself (no adapter).
      const base = createModel(config, weights);
      await measure('base (no fine-tune)', null, base, 0);
      base.dispose();
      continue;
    }
    const original = await trainRun([...train, ...records], options, 'original');
    await measure('original (trained with the canary)', original.trainer.lora, original.model, original.stepMs);
    // Gradient ascent: a few steps on the canary's rows only, from the original adapter, same lr.
    const ascentStart = original.trainer.adapterWeights();
    original.trainer.dispose();
    original.model.dispose();
    const ascent = await trainRun(records, { ...options, maxSteps: ASCENT_STEPS, warmupSteps: 0, schedule: 'constant', initialAdapter: ascentStart, gradientAscent: true }, 'gradient ascent');
    await measure(`gradient ascent (${ASCENT_STEPS} steps)`, ascent.trainer.lora, ascent.model, ascent.stepMs);
    ascent.trainer.dispose();
    ascent.model.dispose();
    const retrain = await trainRun(train, options, 'exact retrain');
    await measure('exact retrain (without the canary)', retrain.trainer.lora, retrain.model, retrain.stepMs);
    retrain.trainer.dispose();
    retrain.model.dispose();
  }
  // Per model: the canary's exposure per seed against the controls' prediction interval (per seed and pooled over the
  // seeds), and its shift from the base against the controls' shifts (the calibrated comparison).
  const shifts = (r: Reading) => r.controls.map((k) => k.exposure - k.baseExposure);
  const summary = [...new Set(readings.map((r) => r.model))].map((model) => {
    const rows = readings.filter((r) => r.model === model);
    const pooled = controlInterval(rows.flatMap((r) => r.controls.map((k) => k.exposure)))!;
    const pooledShift = controlInterval(rows.flatMap(shifts))!;
    return {
      model,
      pooledControlInterval: pooled,
      pooledShiftInterval: pooledShift,
      seeds: rows.map((r) => {
        const own = controlInterval(r.controls.map((k) => k.exposure))!;
        const ownShift = controlInterval(shifts(r))!;
        const shift = r.exposure - r.baseExposure;
        return {
          seed: r.seed, secret: r.secret, exposure: r.exposure, rank: r.rank, extracted: r.extracted, baseExposure: r.baseExposure, shift: +shift.toFixed(3),
          controlInterval: own, versusOwnControls: versusInterval(r.exposure, own), versusPooledControls: versusInterval(r.exposure, pooled),
          shiftInterval: ownShift, shiftVersusOwnControls: versusInterval(shift, ownShift), shiftVersusPooledControls: versusInterval(shift, pooledShift),
          // The share of this seed's controls the model puts above the canary (a never-seen secret: about uniform).
          controlsAbove: r.controls.filter((k) => k.exposure > r.exposure).length / r.controls.length,
        };
      }),
    };
  });
  console.log(JSON.stringify({ backend: BACKEND, steps: STEPS, ascentSteps: ASCENT_STEPS, seeds: SEEDS, controls: ERASURE_CONTROLS, summary, readings }, null, 1));
  expect(readings.length).toBeGreaterThanOrEqual(SEEDS.length);
});
