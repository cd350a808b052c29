// The frozen base of a LoRA run in f16 (rounded once, ties to even): packed halves on the fused WebGPU path, rounded f32 elsewhere.
import { fitsF16, roundToF16 } from '../backend/kernels/lora-linear/f16';
import { disposeWeight, halfWeightFrom, type HalfWeight } from '../backend/kernels/lora-linear/half-weight';
import { useFusedKernels } from '../backend/kernels/webgpu-backend';
import { tf, type Tensor } from '../backend/tf';
import type { CausalLM } from '../models/causal-lm';

/**
 * How the frozen base weights of the linear layers are stored during LoRA training. 'f16' halves the bytes every
 * forward and backward pass reads (accumulation stays f32; LoRA A/B and their gradients stay f32); 'f32' is exact.
 */
export type BaseWeightPrecision = 'f32' | 'f16';

export interface HeldBaseWeights {
  /** Settles once the model reads the f16 weights; rejects if they could not be read or uploaded. */
  readonly ready: Promise<void>;
  /** How many linear weights are f16 (a weight with values beyond f16's range stays f32); valid after ready. */
  readonly halfCount: () => number;
  /** Back to the f32 variables; frees the f16 copies. */
  release(): void;
}

/**
 * Rounds every linear weight of the model to f16 and makes the model read those instead of its variables until
 * release(). On the fused WebGPU path the weights are packed two per word (the kernels read half the bytes);
 * elsewhere they stay f32 tensors holding the rounded values, so a run computes the same thing on every backend.
 */
export function holdHalfBaseWeights(model: CausalLM): HeldBaseWeights {
  let released = false;
  let count = 0;
  const packed = useFusedKernels();
  const ready = (async () => {
    const weights = new Map<string, Tensor | HalfWeight>();
    try {
      for (const spec of model.linearModules) {
        const name = `${spec.module}.weight`;
        const v = model.variable(name);
        const data = (await v.data()) as Float32Array;
        if (released) break;
        if (!fitsF16(data)) continue; // a value at or beyond ±65520 would become infinite: keep this one in f32
        const shape = v.shape as [number, number];
        weights.set(name, packed ? halfWeightFrom(data, shape) : tf.tensor2d(roundToF16(data), shape));
      }
    } catch (e) {
      for (const w of weights.values()) disposeWeight(w);
      throw e;
    }
    if (released) {
      for (const w of weights.values()) disposeWeight(w);
      return;
    }
    count = weights.size;
    model.setFrozenLinearWeights(weights);
  })();
  return {
    ready,
    halfCount: () => count,
    release() {
      if (released) return;
      released = true;
      // Only if ready finished: otherwise it sees `released` and frees its own copies.
      if (count > 0) model.setFrozenLinearWeights(new Map());
    },
  };
}
