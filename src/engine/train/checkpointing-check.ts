// Gradients with gradient checkpointing against the float64 PyTorch fixtures and against the same pass without it.
import { tf, type Tensor, type Variable } from '../backend/tf';
import { LoraAdapter } from '../lora/adapter';
import { createModel, type CausalLM } from '../models/causal-lm';
import type { NamedArray, WeightMap } from '../models/config';
import { Rng } from '../rng';
import { makeBatch, type TokenBatch } from './batch';
import { scaledError, type GoldenFixture } from './golden-check';
import { batchLoss } from './loss';

function toWeightMap(record: GoldenFixture['weights']): WeightMap {
  const out: WeightMap = new Map();
  for (const [name, t] of Object.entries(record)) out.set(name, { shape: t.shape, data: Float32Array.from(t.data) } as NamedArray);
  return out;
}

/** Loss and gradients of `variables` on one batch; the same dropout seeds every call (seed 5). */
async function lossAndGrads(model: CausalLM, batch: TokenBatch, lora: LoraAdapter | null, variables: Variable[], checkpoint: boolean): Promise<{ loss: number; grads: Float32Array[] }> {
  const rng = new Rng(5);
  const { value, grads } = tf.variableGrads(() => {
    const r = batchLoss(model, batch, lora, batch.weightSum, lora ? () => rng.fork() : null, checkpoint ? new Set<Tensor>(variables) : null);
    r.correct.dispose();
    return r.loss as tf.Scalar;
  }, variables);
  const loss = (await value.data())[0];
  const out = [];
  for (const v of variables) out.push((await grads[v.name].data()) as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  return { loss, grads: out };
}

export interface CheckpointingReport {
  /** Checkpointed LoRA gradients vs PyTorch's (dropout 0), scaledError. */
  loraVsFixture: number;
  /** Checkpointed vs plain LoRA gradients with dropout 0.2 (the recompute must replay the same masks). */
  loraDropoutVsPlain: number;
  /** Checkpointed full fine-tuning gradients vs PyTorch's, when the fixture has them; else vs the plain pass. */
  fullVsReference: number;
  /** Tensors alive after minus before (the nested tapes must free what they save). */
  leakedTensors: number;
}

export async function runCheckpointingChecks(fixture: GoldenFixture): Promise<CheckpointingReport> {
  const before = tf.memory().numTensors;
  const model = createModel(fixture.config, toWeightMap(fixture.weights));
  const batch = makeBatch(fixture.examples, fixture.train.maxSeqLen);
  const report: CheckpointingReport = { loraVsFixture: Infinity, loraDropoutVsPlain: Infinity, fullVsReference: Infinity, leakedTensors: 0 };
  try {
    const adapter = LoraAdapter.fromWeights(model.linearModules, fixture.lora, toWeightMap(fixture.adapter));
    const named = adapter.namedVariables();
    const vars = named.map(([, v]) => v);
    const ckpt = await lossAndGrads(model, batch, adapter, vars, true);
    report.loraVsFixture = Math.max(scaledError([ckpt.loss], [fixture.expected.loss]), ...named.map(([name], i) => scaledError(ckpt.grads[i], fixture.expected.grads[name].data)));
    adapter.dispose();

    const dropout = LoraAdapter.fromWeights(model.linearModules, { ...fixture.lora, lora_dropout: 0.2 }, toWeightMap(fixture.adapter));
    const dvars = dropout.namedVariables().map(([, v]) => v);
    const plain = await lossAndGrads(model, batch, dropout, dvars, false);
    const again = await lossAndGrads(model, batch, dropout, dvars, true);
    report.loraDropoutVsPlain = Math.max(scaledError([again.loss], [plain.loss]), ...plain.grads.map((g, i) => scaledError(again.grads[i], g)));
    dropout.dispose();

    const all = model.namedVariables();
    const full = await lossAndGrads(model, batch, null, all.map(([, v]) => v), true);
    const want = fixture.expected.fullGrads;
    const reference = want ? all.map(([name]) => want[name].data) : (await lossAndGrads(model, batch, null, all.map(([, v]) => v), false)).grads;
    report.fullVsReference = Math.max(...all.map((_, i) => scaledError(full.grads[i], reference[i])));
  } finally {
    model.dispose();
  }
  report.leakedTensors = tf.memory().numTensors - before;
  return report;
}
