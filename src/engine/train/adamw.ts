// AdamW as pure functions (init, update) on tensors: decoupled weight decay and bias correction, as torch.optim.AdamW.
import { tf, type Tensor, type Variable } from '../backend/tf';

export interface AdamWHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** A type alias (not an interface) so it can be returned from tf.tidy. */
export type AdamWMoments = {
  m: Tensor;
  v: Tensor;
};

/** Zero first and second moments shaped like the parameter. */
export function adamwInit(param: Tensor): AdamWMoments {
  return { m: tf.zerosLike(param), v: tf.zerosLike(param) };
}

/**
 * One AdamW step for one parameter at 1-based step t; returns new tensors (the caller owns and disposes them):
 * p ← p·(1 − lr·wd); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
 */
export function adamwUpdate(param: Tensor, grad: Tensor, moments: AdamWMoments, hp: AdamWHyper, t: number): { param: Tensor } & AdamWMoments {
  return tf.tidy(() => {
    const m = tf.add(tf.mul(moments.m, hp.beta1), tf.mul(grad, 1 - hp.beta1));
    const v = tf.add(tf.mul(moments.v, hp.beta2), tf.mul(tf.square(grad), 1 - hp.beta2));
    const bias1 = 1 - Math.pow(hp.beta1, t);
    const bias2 = 1 - Math.pow(hp.beta2, t);
    const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bias2)), hp.eps);
    const decayed = hp.weightDecay > 0 ? tf.mul(param, 1 - hp.lr * hp.weightDecay) : param;
    const next = tf.sub(decayed, tf.mul(tf.div(m, denom), hp.lr / bias1));
    return { param: next, m, v };
  });
}

/**
 * One AdamW step over several variables through one flat [P] update (the composite path, on any backend): the
 * gradient is scaled by clip, the variables are assigned in place, the old moments are disposed and the new returned.
 */
export function adamwAssignFlat(variables: Variable[], flatGrad: Tensor, moments: AdamWMoments, hp: AdamWHyper, t: number, clip = 1): AdamWMoments {
  const next = tf.tidy(() => {
    const flatParam = tf.concat(variables.map((v) => tf.reshape(v, [-1]))); // [P]
    const updated = adamwUpdate(flatParam, clip === 1 ? flatGrad : tf.mul(flatGrad, clip), moments, hp, t);
    return { params: tf.split(updated.param, variables.map((v) => v.size)), m: updated.m, v: updated.v };
  });
  variables.forEach((v, i) => {
    const shaped = tf.reshape(next.params[i], v.shape);
    v.assign(shaped);
    shaped.dispose();
  });
  tf.dispose([...next.params, moments.m, moments.v]);
  return { m: next.m, v: next.v };
}
