// Runs the engine against a float64 PyTorch fixture (logits, loss, LoRA gradients, 5 AdamW steps) and reports errors.
import { tf } from '../backend/tf';
import type { TokenizedExample } from '../data/example';
import { LoraAdapter } from '../lora/adapter';
import type { LoraConfig } from '../lora/config';
import { makeBatch } from './batch';
import { batchLoss } from './loss';
import { createTrainer } from './trainer';
import type { TrainOptions } from './options';
import { createModel } from '../models/causal-lm';
import type { ModelConfig, NamedArray, WeightMap } from '../models/config';

interface PlainArray {
  shape: number[];
  data: number[];
}

export interface GoldenFixture {
  name: string;
  config: ModelConfig;
  lora: LoraConfig;
  weights: Record<string, PlainArray>;
  adapter: Record<string, PlainArray>;
  examples: TokenizedExample[];
  train: Omit<TrainOptions, 'lora'>;
  expected: {
    logits: PlainArray;
    loss: number;
    grads: Record<string, PlainArray>;
    adamLosses: number[];
    adamGradNorms: number[];
    /** Full fine-tuning: gradient of every base weight without an adapter (GPT-2 fixture). */
    fullGrads?: Record<string, PlainArray>;
  };
}

export interface GoldenCheck {
  what: string;
  /** The engine's values for short series (losses, norms), to show in reports. */
  got?: number[];
  /** max over elements of |got − want| / max(|want|, 0.1·max|want|): relative for the larger entries, scaled-absolute for tiny ones. */
  error: number;
}

export interface GoldenReport {
  name: string;
  checks: GoldenCheck[];
  maxError: number;
}

/** The error measure used against every fixture (documented on GoldenCheck.error). */
export function scaledError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  const floor = Math.max(0.1 * scale, 1e-30);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), floor);
    worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
  }
  return worst;
}

function toWeightMap(record: Record<string, PlainArray>): WeightMap {
  const out: WeightMap = new Map();
  for (const [name, t] of Object.entries(record)) out.set(name, { shape: t.shape, data: Float32Array.from(t.data) } as NamedArray);
  return out;
}

/** `maxBufferBytes`: the GPU buffer limit the model splits its tables by (head-loss.ts splits the logits by the global one). */
export async function runGoldenChecks(fixture: GoldenFixture, options: { maxBufferBytes?: number } = {}): Promise<GoldenReport> {
  const checks: GoldenCheck[] = [];
  const model = createModel(fixture.config, toWeightMap(fixture.weights), options);
  const adapterWeights = toWeightMap(fixture.adapter);
  const adapter = LoraAdapter.fromWeights(model.linearModules, fixture.lora, adapterWeights);
  try {
    const batch = makeBatch(fixture.examples, fixture.train.maxSeqLen);
    const logits = model.logits(batch.inputs, batch.batch, batch.seq, adapter);
    checks.push({ what: 'logits', error: scaledError(await logits.data(), fixture.expected.logits.data) });
    logits.dispose();

    const variables = adapter.namedVariables();
    const { value, grads } = tf.variableGrads(() => {
      const r = batchLoss(model, batch, adapter, batch.weightSum, null);
      r.correct.dispose();
      return r.loss as tf.Scalar;
    }, variables.map(([, v]) => v));
    checks.push({ what: 'loss', error: scaledError(await value.data(), [fixture.expected.loss]) });
    value.dispose();
    let gradError = 0;
    for (const [name, v] of variables) {
      const want = fixture.expected.grads[name];
      gradError = Math.max(gradError, want ? scaledError(await grads[v.name].data(), want.data) : Infinity);
    }
    Object.values(grads).forEach((g) => g.dispose());
    checks.push({ what: `gradients of ${variables.length} LoRA A/B tensors`, error: gradError });

    const fullGrads = fixture.expected.fullGrads;
    if (fullGrads) {
      const named = model.namedVariables();
      const full = tf.variableGrads(() => {
        const r = batchLoss(model, batch, null, batch.weightSum, null);
        r.correct.dispose();
        return r.loss as tf.Scalar;
      }, named.map(([, v]) => v));
      let fullError = 0;
      for (const [name, v] of named) {
        const want = fullGrads[name];
        fullError = Math.max(fullError, want ? scaledError(await full.grads[v.name].data(), want.data) : Infinity);
      }
      full.value.dispose();
      Object.values(full.grads).forEach((g) => g.dispose());
      checks.push({ what: `full fine-tuning gradients of ${named.length} weights`, error: fullError });
    }

    adapter.dispose();
    const trainer = createTrainer(model, fixture.examples, { ...fixture.train, lora: fixture.lora, initialAdapter: adapterWeights });
    const losses: number[] = [];
    const norms: number[] = [];
    for (let i = 0; i < fixture.expected.adamLosses.length; i++) {
      const stats = await trainer.step();
      losses.push(stats.loss);
      norms.push(stats.gradNorm);
    }
    trainer.dispose();
    checks.push({ what: 'AdamW losses, 5 steps', got: losses, error: scaledError(losses, fixture.expected.adamLosses) });
    checks.push({ what: 'gradient norms, 5 steps', got: norms, error: scaledError(norms, fixture.expected.adamGradNorms) });
  } finally {
    adapter.dispose();
    model.dispose();
  }
  return { name: fixture.name, checks, maxError: Math.max(...checks.map((c) => c.error)) };
}
