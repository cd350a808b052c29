// On Tiny World, DPO with gold preferences (chosen = the right answer; rejected = the base's own wrong greedy answer, and
// a wrong label) on one skill, exact match measured before and after on held-out eval items with bootstrap intervals,
// and the paired change with its own interval. Measured (2026-12-07, Dawn, seed 1; docs/results.md): at the defaults
// (TICK, lr 3e-3, β 0.1, 20 steps) exact match rose 20.0% → 33.0%, paired +13.0% [+3.0, +23.0]; at 10 steps +8.0%
// [−3.0, +18.0] (not resolved); at lr 1e-2 the model broke (20% → 0%). At the defaults the test asserts the resolved
// rise. A measurement (≈ 15 min on this loaded machine, far above CI's 30 s), so it runs on demand only:
//   TUNELAB_DPO_TINY_WORLD=1 npx vitest run src/engine/train/dpo-tiny-world.test.ts
// Knobs: DPO_SKILL (TICK), DPO_STEPS, DPO_LR, DPO_BETA, DPO_PAIRS (train items), DPO_EVAL (held-out items), DPO_SEED.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { initBackend } from '../backend/init';
import { dawnAvailable, useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
import { bootstrapScore } from '../eval/bootstrap';
import { evalModelOf, evalTokenizerOf } from '../eval/eval-model';
import { evaluateSuite } from '../eval/run-suite';
import { skillProbe } from '../eval/tiny-world-suite';
import { tokenizeRecord } from '../data/tokenize-record';
import { readSafetensors } from '../io';
import { createModel } from '../models/causal-lm';
import type { ModelConfig } from '../models/config';
import type { TokenizedExample } from '../data/example';
import { generate } from '../generate/generate';
import { Rng } from '../rng';
import { loadTokenizer } from '../tokenizers';
import { generateWorldDataset, ROUTE_TEAMS, TICK_LABELS, type SkillName } from '../world';
import { defaultTrainOptions } from './options';
import { createTrainer } from './trainer';

const folder = resolve(__dirname, '../../../public/models/tiny-world-400k');
const SKILL = (process.env.DPO_SKILL ?? 'TICK') as SkillName;
const LABELS: readonly string[] = SKILL === 'ROUTE' ? ROUTE_TEAMS : TICK_LABELS;
const STEPS = Number(process.env.DPO_STEPS ?? 20);
const PAIRS = Number(process.env.DPO_PAIRS ?? 64);
const EVAL = Number(process.env.DPO_EVAL ?? 100);
const LR = Number(process.env.DPO_LR ?? 3e-3);
const BETA = Number(process.env.DPO_BETA ?? 0.1);
const SEED = Number(process.env.DPO_SEED ?? 1);

test.skipIf(!existsSync(folder) || !process.env.TUNELAB_DPO_TINY_WORLD)(`DPO with gold preferences on ${SKILL} (tiny-world-400k): rewards separate, held-out exact match measured with intervals`, { timeout: 3_600_000 }, async () => {
  // WebGPU on Dawn when this machine has a Vulkan driver for it (much faster than tfjs's CPU kernels), else the CPU.
  if (dawnAvailable && !process.env.DPO_CPU) await useDawnWebGPU();
  else await initBackend('cpu');
  const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
  const model = createModel(config, readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors')))));
  const newline = tokenizer.encode('\n')[0];
  // Gold preferences: the right label is chosen; the base's own greedy answer where it is wrong is rejected, and a wrong label.
  // (A wrong label alone would not do: log π(c) − log π(r) of two answers ignores every other token's logit, so DPO could
  // widen that margin while the base's own answer stays on top.)
  const pairs: TokenizedExample[] = [];
  const rng = new Rng(5);
  let ownWrong = 0;
  const train = generateWorldDataset({ mix: { [SKILL]: 1 }, size: PAIRS, split: 'train', seed: 3 }).examples;
  for (const [i, e] of train.entries()) {
    const right = e.completion.replace(/\n$/, '');
    expect(LABELS).toContain(right);
    const { ids } = await generate(model, tokenizer.encode(e.prompt), { maxNewTokens: 10, temperature: 0, stopTokenIds: [newline] });
    const own = tokenizer.decode(ids.filter((t) => t !== newline));
    const wrongLabel = rng.shuffle(LABELS.filter((t) => t !== right))[0];
    const rejected = own === right ? [wrongLabel] : [own, ...(own === wrongLabel ? [] : [wrongLabel])];
    if (own !== right) ownWrong++;
    for (const r of rejected) pairs.push(tokenizeRecord({ kind: 'preference', line: i + 1, prompt: e.prompt, chosen: `${right}\n`, rejected: `${r}\n` }, tokenizer, { maxSeqLen: 64, appendEos: false }));
  }
  console.log(`${SKILL}: ${train.length} train items, base wrong on ${ownWrong}; ${pairs.length} pairs`);
  // Held out: the skill's eval half (never in a generated train split).
  const suite = { name: SKILL, probes: [skillProbe(SKILL, EVAL, 1001)] };
  const measure = async (lora: Parameters<typeof evalModelOf>[1]) => (await evaluateSuite(evalModelOf(model, lora), evalTokenizerOf(tokenizer), suite, { resamples: 1000 })).probes[0];

  let t0 = performance.now();
  const before = await measure(null);
  console.log(`eval ${(performance.now() - t0).toFixed(0)} ms`);
  t0 = performance.now();
  const trainer = createTrainer(model, pairs, {
    ...defaultTrainOptions,
    lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['c_attn', 'c_proj', 'c_fc'] },
    objective: 'dpo',
    dpoBeta: BETA,
    lr: LR,
    maxSteps: STEPS,
    warmupSteps: 0,
    batchSize: 8,
    seed: SEED,
    maxSeqLen: 64,
  });
  const first = await trainer.step();
  // Step 1 starts from the base (PEFT's B = 0): the policy is the reference, every reward 0, the loss log 2.
  expect(first.loss).toBeCloseTo(Math.LN2, 5);
  expect(first.dpo!.rewardMargin).toBeCloseTo(0, 6);
  let last = first;
  const tail: NonNullable<typeof first.dpo>[] = [];
  for (let i = 1; i < STEPS; i++) {
    last = await trainer.step();
    if (i >= STEPS / 2) tail.push(last.dpo!);
    if (process.env.DPO_VERBOSE) console.log(`step ${last.step}: ${last.ms.toFixed(0)} ms, loss ${last.loss.toFixed(4)}, accuracy ${last.dpo!.rewardAccuracy}, margin ${last.dpo!.rewardMargin.toFixed(3)}`);
  }
  console.log(`${STEPS} steps ${(performance.now() - t0).toFixed(0)} ms`);
  const after = await measure(trainer.lora);
  const em = (p: typeof before) => p.metrics.exact_match;
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const diff = bootstrapScore(before.itemValues.map((b, i) => ({ numerator: after.itemValues[i].numerator - b.numerator, denominator: 1 })), { seed: 11, resamples: 1000 });
  console.log(
    `${SKILL} exact match (${EVAL} held-out items), β ${BETA}, lr ${LR}, ${STEPS} steps, seed ${SEED}: base ${pct(em(before).value)} [${pct(em(before).ci[0])}, ${pct(em(before).ci[1])}] → ` +
      `DPO ${pct(em(after).value)} [${pct(em(after).ci[0])}, ${pct(em(after).ci[1])}]; paired change ${pct(diff.value)} [${pct(diff.ci[0])}, ${pct(diff.ci[1])}]; ` +
      `last step: loss ${last.loss.toFixed(4)}, rewards chosen ${last.dpo!.rewardChosen.toFixed(3)}, rejected ${last.dpo!.rewardRejected.toFixed(3)}, accuracy ${last.dpo!.rewardAccuracy}, margin ${last.dpo!.rewardMargin.toFixed(3)}`,
  );
  if (process.env.DPO_VERBOSE) console.log(`predictions: ${after.predictions.slice(0, 20).join(' | ')}`);
  const defaults = SKILL === 'TICK' && STEPS === 20 && LR === 3e-3 && BETA === 0.1 && PAIRS === 64 && EVAL === 100 && SEED === 1;
  // The claim, at the settings it was measured with: held-out exact match rises, the paired interval above zero.
  if (defaults) expect(diff.ci[0]).toBeGreaterThan(0);
  else expect(em(after).value).toBeGreaterThanOrEqual(0);
  // Over the second half of the steps (one batch of 8 pairs is too few to judge a step by): the rewards separate.
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`second half: reward accuracy ${mean(tail.map((d) => d.rewardAccuracy)).toFixed(3)}, margin ${mean(tail.map((d) => d.rewardMargin)).toFixed(3)}`);
  expect(mean(tail.map((d) => d.rewardAccuracy))).toBeGreaterThan(0.5);
  expect(mean(tail.map((d) => d.rewardMargin))).toBeGreaterThan(0);
  trainer.dispose();
  model.dispose();
});
