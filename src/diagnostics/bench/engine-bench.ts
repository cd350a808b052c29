// The engine as a bench side: its LoRA train step and KV-cache decode, on the same data and LoRA as the baseline.
import { tf } from '../../engine/backend/tf';
import { createModel, createTrainer, defaultTrainOptions, generate, type CausalLM, type Gpt2Config, type LoraAdapter, type TokenizedExample } from '../../engine/index';
import { benchBatch, benchPrompt } from './baseline-bench';
import type { BenchSide } from './measure';
import { BENCH_LORA, type BenchShape } from './shapes';

/** GPT-2 config for a bench shape; one spare position so a row of seq + 1 ids gives seq inputs. */
export function benchGpt2Config(shape: BenchShape): Gpt2Config {
  return {
    model_type: 'gpt2',
    vocab_size: shape.vocab,
    n_positions: Math.max(shape.seq + 1, shape.decodePrompt + shape.decodeTokens),
    n_embd: shape.d,
    n_layer: shape.layers,
    n_head: shape.heads,
    layer_norm_epsilon: 1e-5,
    activation_function: 'gelu_new',
  };
}

/** The baseline's token rows as engine examples: every target weighs 1, as in the baseline's plain mean loss. */
function benchExamples(shape: BenchShape): TokenizedExample[] {
  return benchBatch(shape).map((ids, i) => ({ id: `bench-${i}`, ids, weights: ids.map((_, t) => (t === 0 ? 0 : 1)) }));
}

/** Mean next-token cross-entropy from logits, with tfjs's own softmaxCrossEntropy (rows: [B, T+1] ids). */
async function independentLoss(logitsOf: (ids: Int32Array) => tf.Tensor, rows: number[][], shape: BenchShape): Promise<number> {
  const inputs = Int32Array.from(rows.flatMap((r) => r.slice(0, shape.seq)));
  const targets = rows.flatMap((r) => r.slice(1));
  const logits = logitsOf(inputs);
  const loss = tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(targets, 'int32'), shape.vocab), tf.reshape(logits, [-1, shape.vocab])));
  const [value] = await loss.data();
  tf.dispose([logits, loss]);
  return value;
}

/**
 * The same rows as DPO pairs: row 2i chosen, row 2i + 1 rejected, so a DPO step of B/2 pairs reads the SFT step's B
 * rows (the same tokens: the reference's forward pass and the policy's forward and backward over them).
 */
function benchPairs(shape: BenchShape): TokenizedExample[] {
  const rows = benchExamples(shape);
  return Array.from({ length: Math.floor(rows.length / 2) }, (_, i) => ({ ...rows[2 * i], rejected: { ids: rows[2 * i + 1].ids, weights: rows[2 * i + 1].weights } }));
}

/** The engine's DPO step (LoRA, f32 base) on the bench rows as pairs; its decode is the same model's, so it is not timed. */
export async function createDpoSide(shape: BenchShape): Promise<BenchSide> {
  const model = createModel(benchGpt2Config(shape), { seed: 1 });
  const pairs = benchPairs(shape);
  const trainer = createTrainer(model, pairs, {
    ...defaultTrainOptions,
    method: 'lora',
    lora: { ...BENCH_LORA, target_modules: [...BENCH_LORA.target_modules] },
    lr: 1e-3,
    batchSize: pairs.length,
    maxSeqLen: shape.seq + 1,
    maxSteps: 100_000,
    seed: 1,
    baseWeights: 'f32',
    objective: 'dpo',
  });
  await trainer.ready;
  return {
    label: `engine DPO ${shape.model}`,
    step: async () => (await trainer.step()).loss,
    decode: async () => (await generate(model, benchPrompt(shape), { maxNewTokens: shape.decodeTokens, temperature: 0, lora: trainer.lora })).ids,
    dispose() {
      trainer.dispose();
      model.dispose();
    },
  };
}

export interface EngineSide extends BenchSide {
  /** Problems found by the loss check, once the first step has run. */
  notes(): string[];
  /** The trained model and its LoRA adapter, for measurements on the same weights (exposure ranking). */
  model: CausalLM;
  lora: LoraAdapter;
}

/**
 * The engine as a bench side; its first step's loss is checked against an independent recomputation.
 * `baseWeights` 'f16' trains LoRA on the frozen base stored as f16 (the app's default for LoRA); 'f32' is exact.
 */
export async function createEngineSide(shape: BenchShape, baseWeights: 'f32' | 'f16' = 'f32'): Promise<EngineSide> {
  const model = createModel(benchGpt2Config(shape), { seed: 1 });
  // The same batch every step, like the baseline: batchSize = all examples, so the data order cannot change the work.
  const trainer = createTrainer(model, benchExamples(shape), {
    ...defaultTrainOptions,
    method: 'lora',
    lora: { ...BENCH_LORA, target_modules: [...BENCH_LORA.target_modules] },
    lr: 1e-3,
    batchSize: shape.batch,
    maxSeqLen: shape.seq + 1,
    maxSteps: 100_000,
    seed: 1,
    baseWeights,
  });
  await trainer.ready; // the loss check below must see the base the steps train on
  // Before any update: the loss of the model on the batch, recomputed with stock tfjs from the engine's logits.
  const expectedLoss = await independentLoss((ids) => model.logits(ids, shape.batch, shape.seq), benchBatch(shape), shape);
  let firstLoss: number | null = null;
  return {
    model,
    get lora() {
      return trainer.lora!;
    },
    label: `engine ${baseWeights === 'f16' ? 'f16 base ' : ''}${shape.model}`,
    async step() {
      const { loss } = await trainer.step();
      firstLoss ??= loss;
      return loss;
    },
    decode: async () => (await generate(model, benchPrompt(shape), { maxNewTokens: shape.decodeTokens, temperature: 0, lora: trainer.lora })).ids,
    notes() {
      if (firstLoss !== null && Math.abs(firstLoss - expectedLoss) <= 1e-3 * Math.max(1, expectedLoss)) return [];
      return [`engine step reported loss ${firstLoss} but its model's loss on the same batch is ${expectedLoss.toFixed(4)}: the step is wrong on this adapter, so its timings describe a wrong computation`];
    },
    dispose() {
      trainer.dispose();
      model.dispose();
    },
  };
}
