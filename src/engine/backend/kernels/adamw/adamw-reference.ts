// Float64 CPU reference of the fused AdamW step (clip, moments, bias correction, decoupled decay), for its check and tests.
import type { AdamWStepHyper } from './adamw-update';

/** CPU reference in float64 of the same step on flat arrays (params concatenated in order). */
export function adamwReference(
  param: Float32Array,
  grad: Float32Array,
  m: Float32Array,
  v: Float32Array,
  loss: number,
  hp: AdamWStepHyper,
): { param: Float64Array; m: Float64Array; v: Float64Array } {
  let normSquared = 0;
  for (const g of grad) normSquared += g * g;
  const out = { param: Float64Array.from(param), m: Float64Array.from(m), v: Float64Array.from(v) };
  if (!Number.isFinite(loss) || !Number.isFinite(normSquared)) return out;
  const clip = hp.maxGradNorm > 0 ? Math.min(1, hp.maxGradNorm / (Math.sqrt(normSquared) + 1e-6)) : 1;
  const bias1 = 1 - Math.pow(hp.beta1, hp.t);
  const bias2 = 1 - Math.pow(hp.beta2, hp.t);
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] * clip;
    out.m[i] = hp.beta1 * m[i] + (1 - hp.beta1) * g;
    out.v[i] = hp.beta2 * v[i] + (1 - hp.beta2) * g * g;
    out.param[i] = param[i] * (1 - hp.lr * hp.weightDecay) - ((hp.lr / bias1) * out.m[i]) / (Math.sqrt(out.v[i]) / Math.sqrt(bias2) + hp.eps);
  }
  return out;
}
