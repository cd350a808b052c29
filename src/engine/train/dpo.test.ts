// The DPO objective against float64 references: a hand-derived TS reference checked by finite differences, and a
// float64 PyTorch fixture (scripts/golden/make_dpo_fixture.py) for log-probs, loss, LoRA gradients and 3 AdamW steps.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import type { TokenizedExample } from '../data/example';
import { LoraAdapter } from '../lora/adapter';
import type { LoraConfig } from '../lora/config';
import { createModel } from '../models/causal-lm';
import type { ModelConfig, NamedArray, WeightMap } from '../models/config';
import gpt2 from '../models/fixtures/gpt2.json';
import fixtureJson from './fixtures/dpo-gpt2.json';
import { dpoBatchLoss, dpoPairLosses, makePairBatch, referenceLogProbs, sequenceLogProbs } from './dpo-loss';
import { dpoReference } from './dpo-reference';
import { scaledError } from './golden-check';
import { validateTrainOptions, defaultTrainOptions, type TrainOptions } from './options';
import { createTrainer } from './trainer';

interface PlainArray {
  shape: number[];
  data: number[];
}
const fixture = fixtureJson as unknown as {
  beta: number;
  labelSmoothing: number;
  examples: TokenizedExample[];
  train: Omit<TrainOptions, 'lora'>;
  expected: {
    policyLogps: number[];
    referenceLogps: number[];
    loss: number;
    lossGradWrtPolicyLogps: number[];
    grads: Record<string, PlainArray>;
    metrics: { rewardChosen: number; rewardRejected: number; rewardAccuracy: number; rewardMargin: number };
    steps: { loss: number; gradNorm: number; rewardChosen: number; rewardRejected: number; rewardAccuracy: number; rewardMargin: number }[];
  };
};
const settings = { beta: fixture.beta, labelSmoothing: fixture.labelSmoothing };

function weightMap(record: Record<string, PlainArray>): WeightMap {
  return new Map(Object.entries(record).map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data) } as NamedArray]));
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('DPO loss: float64 reference', () => {
  const policy = [-3.1, -7.4, -0.9, -5.2, -2.0, -4.4];
  const reference = [-3.5, -6.9, -1.3, -4.8, -2.6, -3.9];

  it('its gradient w.r.t. the policy log-probs matches central finite differences', () => {
    for (const eps of [0, 0.1, 0.3]) {
      const r = dpoReference(policy, reference, 0.7, eps);
      const h = 1e-6;
      r.gradPolicy.forEach((g, i) => {
        const up = [...policy];
        const down = [...policy];
        up[i] += h;
        down[i] -= h;
        const fd = (dpoReference(up, reference, 0.7, eps).loss - dpoReference(down, reference, 0.7, eps).loss) / (2 * h);
        expect(Math.abs(fd - g)).toBeLessThan(1e-8);
      });
    }
  });

  it('is log 2 with zero rewards when the policy is the reference, and matches hand-computed values', () => {
    const same = dpoReference(reference, reference, 0.1, 0);
    expect(same.loss).toBeCloseTo(Math.LN2, 12);
    expect([same.rewardChosen, same.rewardRejected, same.rewardMargin, same.rewardAccuracy]).toEqual([0, 0, 0, 0]);
    // One pair: z = β·((−1 − −3) − (−2 − −2)) = 2β; β = 0.5 → z = 1, loss = log(1 + e^−1).
    const one = dpoReference([-1, -3], [-2, -2], 0.5, 0);
    expect(one.loss).toBeCloseTo(Math.log1p(Math.exp(-1)), 12);
    expect(one.rewardChosen).toBeCloseTo(0.5, 12);
    expect(one.rewardRejected).toBeCloseTo(-0.5, 12);
    expect(one.rewardAccuracy).toBe(1);
  });

  it('agrees with the PyTorch fixture on the loss, its gradient and the reward metrics', () => {
    const r = dpoReference(fixture.expected.policyLogps, fixture.expected.referenceLogps, fixture.beta, fixture.labelSmoothing);
    expect(r.loss).toBeCloseTo(fixture.expected.loss, 10);
    expect(scaledError(r.gradPolicy, fixture.expected.lossGradWrtPolicyLogps)).toBeLessThan(1e-9);
    for (const key of ['rewardChosen', 'rewardRejected', 'rewardAccuracy', 'rewardMargin'] as const) expect(r[key]).toBeCloseTo(fixture.expected.metrics[key], 10);
  });

  it("the engine's tensor loss and its autodiff gradient w.r.t. the policy log-probs match the reference", async () => {
    for (const eps of [0, 0.25]) {
      const want = dpoReference(policy, reference, 0.7, eps);
      const ref = tf.tensor1d(reference);
      const f = (p: tf.Tensor) => tf.div(tf.sum(dpoPairLosses(p, ref, 3, { beta: 0.7, labelSmoothing: eps })), 3) as tf.Scalar;
      const { value, grad } = tf.valueAndGrad(f)(tf.tensor1d(policy));
      expect(scaledError([(await value.data())[0]], [want.loss])).toBeLessThan(1e-5);
      expect(scaledError(await grad.data(), want.gradPolicy)).toBeLessThan(1e-5);
    }
  });
});

describe('DPO on a tiny GPT-2 with LoRA (float32 engine vs float64 PyTorch)', () => {
  const setup = () => {
    const model = createModel(gpt2.config as ModelConfig, weightMap(gpt2.weights as Record<string, PlainArray>));
    const adapter = LoraAdapter.fromWeights(model.linearModules, gpt2.lora as LoraConfig, weightMap(gpt2.adapter as Record<string, PlainArray>));
    return { model, adapter, batch: makePairBatch(fixture.examples, 16) };
  };

  it('policy (adapter on) and reference (adapter off) log-probs, loss and LoRA gradients', async () => {
    const { model, adapter, batch } = setup();
    const reference = referenceLogProbs(model, batch);
    expect(scaledError(await reference.data(), fixture.expected.referenceLogps)).toBeLessThan(1e-4);
    const policy = tf.tidy(() => sequenceLogProbs(model, batch, adapter).logps);
    expect(scaledError(await policy.data(), fixture.expected.policyLogps)).toBeLessThan(1e-4);
    const variables = adapter.namedVariables();
    const { value, grads } = tf.variableGrads(() => {
      const r = dpoBatchLoss(model, batch, adapter, reference, settings, batch.pairs, null);
      r.correct.dispose();
      r.rewards.dispose();
      return r.loss as tf.Scalar;
    }, variables.map(([, v]) => v));
    expect(scaledError(await value.data(), [fixture.expected.loss])).toBeLessThan(1e-4);
    let worst = 0;
    for (const [name, v] of variables) worst = Math.max(worst, scaledError(await grads[v.name].data(), fixture.expected.grads[name].data));
    expect(worst).toBeLessThan(1e-4);
    expect(variables.length).toBe(Object.keys(fixture.expected.grads).length);

    // Central finite differences of the engine's own loss w.r.t. single LoRA entries (float32, so h is large).
    const lossNow = () => tf.tidy(() => dpoBatchLoss(model, batch, adapter, reference, settings, batch.pairs, null).loss.dataSync()[0]);
    const h = 1e-2;
    for (const [name, v] of variables.filter((_, i) => i % 3 === 0)) {
      const g = (await grads[v.name].data()) as Float32Array;
      const at = g.reduce((best, x, i) => (Math.abs(x) > Math.abs(g[best]) ? i : best), 0);
      const original = (await v.data())[at];
      const set = (x: number) => {
        const data = v.dataSync().slice();
        data[at] = x;
        v.assign(tf.tensor(data, v.shape));
      };
      set(original + h);
      const up = lossNow();
      set(original - h);
      const down = lossNow();
      set(original);
      const fd = (up - down) / (2 * h);
      expect(Math.abs(fd - g[at]), `${name}[${at}]: fd ${fd} vs ${g[at]}`).toBeLessThan(2e-3 + 1e-2 * Math.abs(g[at]));
    }
    Object.values(grads).forEach((g) => g.dispose());
    [value, reference, policy].forEach((t) => t.dispose());
    adapter.dispose();
    model.dispose();
  });

  it('three AdamW steps of the DPO trainer: losses, gradient norms and TRL reward metrics', async () => {
    const model = createModel(gpt2.config as ModelConfig, weightMap(gpt2.weights as Record<string, PlainArray>));
    const trainer = createTrainer(model, fixture.examples, { ...fixture.train, lora: gpt2.lora as LoraConfig, initialAdapter: weightMap(gpt2.adapter as Record<string, PlainArray>) });
    for (const want of fixture.expected.steps) {
      const got = await trainer.step();
      expect(scaledError([got.loss, got.gradNorm], [want.loss, want.gradNorm])).toBeLessThan(1e-4);
      const dpo = got.dpo!;
      expect(scaledError([dpo.rewardChosen, dpo.rewardRejected, dpo.rewardMargin], [want.rewardChosen, want.rewardRejected, want.rewardMargin])).toBeLessThan(1e-4);
      expect(dpo.rewardAccuracy).toBeCloseTo(want.rewardAccuracy, 6);
    }
    trainer.dispose();
    model.dispose();
  });
});

describe('DPO with the starting policy as its reference (dpoReferenceAdapter)', () => {
  const lora = gpt2.lora as LoraConfig;
  const start = () => weightMap(gpt2.adapter as Record<string, PlainArray>);
  // The fixture's pairs, and the same prompts with chosen and rejected swapped: "any pairs".
  const swapped = fixture.examples.map((e) => ({ ...e, id: `${e.id}-swapped`, ids: e.rejected!.ids, weights: e.rejected!.weights, rejected: { ids: e.ids, weights: e.weights } }));

  it('starts at loss log 2 with zero rewards, for any pairs, and its first gradient is the float64 reference gradient chained through the log-probs', async () => {
    for (const examples of [fixture.examples, swapped]) {
      const model = createModel(gpt2.config as ModelConfig, weightMap(gpt2.weights as Record<string, PlainArray>));
      // The expected first gradient: d loss/d logps from the float64 reference at policy = reference, pulled back
      // through the engine's log-probs (checked against PyTorch above) of the starting adapter.
      const adapter = LoraAdapter.fromWeights(model.linearModules, lora, start());
      const batch = makePairBatch(examples, 16);
      const logps = Array.from(await tf.tidy(() => sequenceLogProbs(model, batch, adapter).logps).data());
      const want = dpoReference(logps, logps, fixture.beta, fixture.labelSmoothing);
      expect(want.loss).toBeCloseTo(Math.LN2, 12);
      const upstream = tf.tensor1d(want.gradPolicy);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(sequenceLogProbs(model, batch, adapter).logps, upstream)) as tf.Scalar, adapter.namedVariables().map(([, v]) => v));
      const wantNorm = Math.sqrt(adapter.namedVariables().reduce((s, [, v]) => s + (grads[v.name].dataSync() as Float32Array).reduce((t, x) => t + x * x, 0), 0));
      Object.values(grads).forEach((g) => g.dispose());
      upstream.dispose();
      adapter.dispose();

      const trainer = createTrainer(model, examples, { ...fixture.train, warmupSteps: 0, lora, initialAdapter: start(), dpoReferenceAdapter: start() });
      const first = await trainer.step();
      expect(first.loss).toBeCloseTo(Math.LN2, 6);
      expect([first.dpo!.rewardChosen, first.dpo!.rewardRejected, first.dpo!.rewardMargin, first.dpo!.rewardAccuracy]).toEqual([0, 0, 0, 0]);
      expect(scaledError([first.gradNorm], [wantNorm])).toBeLessThan(1e-4);
      // The reference stays the starting policy: step 2's rewards are β·(policy after step 1 − start) log-probs, measured apart.
      const afterOne = LoraAdapter.fromWeights(model.linearModules, lora, (await trainer.checkpoint()).trainable);
      const startAdapter = LoraAdapter.fromWeights(model.linearModules, lora, start());
      const p1 = Array.from(await tf.tidy(() => sequenceLogProbs(model, batch, afterOne).logps).data());
      const p0 = Array.from(await tf.tidy(() => sequenceLogProbs(model, batch, startAdapter).logps).data());
      const second = await trainer.step();
      const wantSecond = dpoReference(p1, p0, fixture.beta, fixture.labelSmoothing);
      expect(scaledError([second.loss, second.dpo!.rewardChosen, second.dpo!.rewardRejected], [wantSecond.loss, wantSecond.rewardChosen, wantSecond.rewardRejected])).toBeLessThan(1e-4);
      expect(second.loss).toBeLessThan(Math.LN2);
      afterOne.dispose();
      startAdapter.dispose();
      trainer.dispose();
      model.dispose();
    }
  });

  it('is refused outside DPO', () => {
    expect(() => validateTrainOptions({ ...defaultTrainOptions, lora, dpoReferenceAdapter: start() })).toThrow(/dpoReferenceAdapter/);
  });
});

describe('DPO options and data', () => {
  it('refuses full fine-tuning (no frozen copy of the base is kept), a β ≤ 0 and a label smoothing ≥ 0.5', () => {
    const lora = gpt2.lora as LoraConfig;
    expect(() => validateTrainOptions({ ...defaultTrainOptions, method: 'full', objective: 'dpo' })).toThrow(/frozen base model as its reference.*full fine-tuning would need a second copy/);
    expect(() => validateTrainOptions({ ...defaultTrainOptions, lora, objective: 'dpo', dpoBeta: 0 })).toThrow(/dpoBeta/);
    expect(() => validateTrainOptions({ ...defaultTrainOptions, lora, objective: 'dpo', dpoLabelSmoothing: 0.5 })).toThrow(/dpoLabelSmoothing/);
    expect(() => validateTrainOptions({ ...defaultTrainOptions, lora, objective: 'dpo' })).not.toThrow();
  });

  it('refuses examples without a rejected answer', () => {
    const model = createModel(gpt2.config as ModelConfig, weightMap(gpt2.weights as Record<string, PlainArray>));
    const plain = fixture.examples.map(({ rejected: _r, ...e }) => e);
    expect(() => createTrainer(model, [...fixture.examples, ...plain], { ...fixture.train, lora: gpt2.lora as LoraConfig })).toThrow(/3 of the 6 training examples have no rejected answer/);
    model.dispose();
  });
});
