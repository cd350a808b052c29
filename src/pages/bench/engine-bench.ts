// Measures the engine's LoRA train step and KV-cache decode on the bench shapes, once src/engine/index.ts exists.
import { tf } from '../../engine/backend/tf';
import type { TokenizedExample } from '../../engine/data/example';
import type { Gpt2Config } from '../../engine/models/config';
import { benchBatch, benchPrompt, type RunOptions } from './baseline-bench';
import { timeDecode, timeSteps } from './measure';
import type { StepMeasurement } from './report';
import { BENCH_LORA, type BenchShape } from './shapes';

/** The part of the engine's public API the bench drives (src/engine/index.ts). */
interface EngineApi {
  createModel(config: Gpt2Config, init: { seed: number }): { dispose(): void };
  createTrainer(
    model: unknown,
    examples: TokenizedExample[],
    options: Record<string, unknown>,
  ): { step(): Promise<{ loss: number }>; lora: unknown; dispose(): void };
  generate(model: unknown, prompt: number[], options: { maxNewTokens: number; temperature: number; lora?: unknown }): Promise<{ ids: number[] }>;
}

/** Empty until the engine lands; Vite resolves the glob at build time, so the bench builds either way. */
const engineModule = import.meta.glob('../../engine/index.ts');

export type EngineOutcome = { measured: StepMeasurement; note?: string } | { measured: null; note: string };

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

export async function measureEngine(shape: BenchShape, opts: RunOptions): Promise<EngineOutcome> {
  const load = engineModule['../../engine/index.ts'];
  if (!load) return { measured: null, note: `engine not measured: src/engine/index.ts is not on this branch yet (${shape.model})` };
  const engine = (await load()) as EngineApi;
  const label = `engine ${shape.model}`;
  const tensorsBefore = tf.memory().numTensors;
  const model = engine.createModel(benchGpt2Config(shape), { seed: 1 });
  // The same batch every step, like the baseline: batchSize = all examples, so the data order cannot change the work.
  const trainer = engine.createTrainer(model, benchExamples(shape), {
    method: 'lora',
    lora: { ...BENCH_LORA, target_modules: [...BENCH_LORA.target_modules] },
    lr: 1e-3,
    batchSize: shape.batch,
    maxSeqLen: shape.seq + 1,
    maxSteps: 1000,
    seed: 1,
  });
  try {
    const steps = await timeSteps(async () => (await trainer.step()).loss, { ...opts, label });
    const decodeTokensPerSec = opts.decode
      ? await timeDecode(
          async () => (await engine.generate(model, benchPrompt(shape), { maxNewTokens: shape.decodeTokens, temperature: 0, lora: trainer.lora })).ids,
          shape.decodeTokens,
          opts.log,
          `${label} decode (KV cache)`,
        )
      : null;
    return { measured: { ...steps, decodeTokensPerSec } };
  } finally {
    trainer.dispose();
    model.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked) opts.log(`${label}: warning, ${leaked} tensors left alive`);
  }
}
