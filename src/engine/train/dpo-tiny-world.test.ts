// On Tiny World, DPO with gold preferences on ROUTE, the skill the base never saw (chosen = the right team; rejected =
// the base's own wrong greedy answer, and a wrong team): the rewards separate and the right answers' log-probability
// rises. Exact match is measured before and after and printed; as measured (2026-12-07) it did NOT rise: 0% → 0% on
// 50 eval items after 8 steps (own answers rejected) and after 12 steps (own answers and wrong teams): the greedy
// answers' first characters moved (r/b/g/l → K/O/c/l) but no whole team name came out right. Issue 16's "DPO raises
// exact match" is therefore not shown yet; the assertion below only refuses a fall. A measurement (80–120 s), so it runs
// on demand only, to keep CI's time: TUNELAB_DPO_TINY_WORLD=1 npx vitest run src/engine/train/dpo-tiny-world.test.ts
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { initBackend } from '../backend/init';
import { dawnAvailable, useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
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
import { generateWorldDataset } from '../world';
import { defaultTrainOptions } from './options';
import { createTrainer } from './trainer';

const folder = resolve(__dirname, '../../../public/models/tiny-world-400k');
const TEAMS = ['cashdesk', 'techdesk', 'warehouse', 'manager'];
const STEPS = Number(process.env.DPO_STEPS ?? 12);
const PAIRS = Number(process.env.DPO_PAIRS ?? 32);

test.skipIf(!existsSync(folder) || !process.env.TUNELAB_DPO_TINY_WORLD)('DPO with gold preferences on the target skill (ROUTE, tiny-world-400k): rewards separate, exact match measured', { timeout: 1_800_000 }, async () => {
  // WebGPU on Dawn when this machine has a Vulkan driver for it (much faster than tfjs's CPU kernels), else the CPU.
  if (dawnAvailable && !process.env.DPO_CPU) await useDawnWebGPU();
  else await initBackend('cpu');
  const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
  const model = createModel(config, readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors')))));
  const newline = tokenizer.encode('\n')[0];
  // Gold preferences: the right team is chosen; the base's own greedy answer, wrong on every ROUTE prompt, is rejected.
  // (A random wrong team would not do: log π(c) − log π(r) of two one-token-apart answers ignores the logits of every
  // other token, so DPO could widen that margin while the base's own answer stays on top.)
  const pairs: TokenizedExample[] = [];
  const rng = new Rng(5);
  for (const [i, e] of generateWorldDataset({ mix: { ROUTE: 1 }, size: PAIRS, split: 'train', seed: 3 }).examples.entries()) {
    const right = e.completion.replace(/\n$/, '');
    expect(TEAMS).toContain(right);
    const { ids } = await generate(model, tokenizer.encode(e.prompt), { maxNewTokens: 10, temperature: 0, stopTokenIds: [newline] });
    const own = tokenizer.decode(ids.filter((t) => t !== newline));
    if (own === right) continue;
    const wrongTeam = rng.shuffle(TEAMS.filter((t) => t !== right))[0];
    for (const rejected of [own, wrongTeam]) pairs.push(tokenizeRecord({ kind: 'preference', line: i + 1, prompt: e.prompt, chosen: `${right}\n`, rejected: `${rejected}\n` }, tokenizer, { maxSeqLen: 64, appendEos: false }));
  }
  const suite = { name: 'ROUTE', probes: [skillProbe('ROUTE', 50, 1001)] };
  const exactMatch = async (lora: Parameters<typeof evalModelOf>[1]) => {
    const probe = (await evaluateSuite(evalModelOf(model, lora), evalTokenizerOf(tokenizer), suite, { resamples: 10 })).probes[0];
    if (process.env.DPO_VERBOSE) console.log(`predictions: ${probe.predictions.slice(0, 12).join(' | ')}`);
    return probe.metrics.exact_match.value;
  };

  let t0 = performance.now();
  const before = await exactMatch(null);
  console.log(`eval ${(performance.now() - t0).toFixed(0)} ms`);
  t0 = performance.now();
  const trainer = createTrainer(model, pairs, {
    ...defaultTrainOptions,
    lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['c_attn', 'c_proj', 'c_fc'] },
    objective: 'dpo',
    dpoBeta: 0.1,
    lr: Number(process.env.DPO_LR ?? 3e-3),
    maxSteps: STEPS,
    batchSize: 8,
    seed: 1,
    maxSeqLen: 64,
  });
  const first = await trainer.step();
  // Step 1 starts from the base (PEFT's B = 0): the policy is the reference, every reward 0, the loss log 2.
  expect(first.loss).toBeCloseTo(Math.LN2, 5);
  expect(first.dpo!.rewardMargin).toBeCloseTo(0, 6);
  console.log(`step 1 ${(performance.now() - t0).toFixed(0)} ms`);
  let last = first;
  for (let i = 1; i < STEPS; i++) {
    last = await trainer.step();
    if (process.env.DPO_VERBOSE) console.log(`step ${last.step}: ${last.ms.toFixed(0)} ms, loss ${last.loss.toFixed(4)}, accuracy ${last.dpo!.rewardAccuracy}, margin ${last.dpo!.rewardMargin.toFixed(3)}`);
  }
  const after = await exactMatch(trainer.lora);
  console.log(`ROUTE exact match (50 eval items): base ${before}, after ${STEPS} DPO steps ${after}; last step: loss ${last.loss.toFixed(4)}, rewards chosen ${last.dpo!.rewardChosen.toFixed(3)}, rejected ${last.dpo!.rewardRejected.toFixed(3)}, accuracy ${last.dpo!.rewardAccuracy}, margin ${last.dpo!.rewardMargin.toFixed(3)}`);
  expect(last.dpo!.rewardAccuracy).toBeGreaterThan(0.5);
  expect(last.dpo!.rewardMargin).toBeGreaterThan(0);
  // The right answers became more likely than under the base (β·Δlog π > 0), not only the wrong ones less likely.
  expect(last.dpo!.rewardChosen).toBeGreaterThan(0);
  expect(after).toBeGreaterThanOrEqual(before);
  trainer.dispose();
  model.dispose();
});
