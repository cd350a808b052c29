// A LoRA run on an f16 base against the same run on an f32 model whose weights were rounded to f16 by hand: same steps, same result.
import { roundToF16 } from '../backend/kernels/lora-linear/f16';
import { tf } from '../backend/tf';
import type { TokenizedExample } from '../data/example';
import { createModel } from '../models/causal-lm';
import type { Gpt2Config } from '../models/config';
import type { TrainOptions } from './options';
import { createTrainer } from './trainer';

export const BASE_CHECK_CONFIG: Gpt2Config = { model_type: 'gpt2', vocab_size: 17, n_positions: 24, n_embd: 16, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };

export const BASE_CHECK_OPTIONS: TrainOptions = {
  method: 'lora',
  lora: { r: 4, lora_alpha: 8, lora_dropout: 0.1, target_modules: ['c_attn', 'c_fc'] },
  lr: 1e-2,
  weightDecay: 0.01,
  betas: [0.9, 0.999],
  eps: 1e-8,
  warmupSteps: 0,
  schedule: 'constant',
  maxSteps: 20,
  batchSize: 3,
  gradAccumSteps: 1,
  maxGradNorm: 1,
  seed: 7,
  maxSeqLen: 16,
};

function examples(count: number): TokenizedExample[] {
  return Array.from({ length: count }, (_, i) => {
    const ids = Array.from({ length: 5 + (i % 4) }, (_, t) => (i * 3 + t * 5) % 17);
    return { id: `e${i}`, ids, weights: ids.map((_, t) => (t >= 2 ? 1 : 0)) };
  });
}

export interface BaseRun {
  losses: number[];
  /** Validation loss after the steps, through trainer.evaluate (the eval path reads the same base). */
  evalLoss: number;
  /** The model's logits on one sequence after the trainer was disposed, without LoRA: the f32 base again. */
  logitsAfter: Float32Array;
}

/** `steps` LoRA steps with the given base precision; `roundByHand` first rounds every linear weight to f16 in the f32 variables. */
export async function runOnBase(baseWeights: 'f16' | 'f32', roundByHand: boolean, steps = 4): Promise<BaseRun> {
  const model = createModel(BASE_CHECK_CONFIG, { seed: 1 });
  try {
    if (roundByHand) {
      for (const m of model.linearModules) {
        const v = model.variable(`${m.module}.weight`);
        const data = (await v.data()) as Float32Array;
        model.assignWeights(new Map([[`${m.module}.weight`, { shape: [...v.shape], data: roundToF16(data) }]]));
      }
    }
    const data = examples(9);
    const trainer = createTrainer(model, data, { ...BASE_CHECK_OPTIONS, baseWeights });
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push((await trainer.step()).loss);
    const { loss: evalLoss } = await trainer.evaluate(data.slice(0, 4));
    trainer.dispose();
    const logits = model.logits(Int32Array.of(1, 5, 9, 2), 1, 4);
    const logitsAfter = (await logits.data()) as Float32Array;
    logits.dispose();
    return { losses, evalLoss, logitsAfter };
  } finally {
    model.dispose();
  }
}

/** Tensors alive before and after a call (a leak check for the f16 copies). */
export async function tensorDelta(f: () => Promise<unknown>): Promise<number> {
  const before = tf.memory().numTensors;
  await f();
  return tf.memory().numTensors - before;
}
