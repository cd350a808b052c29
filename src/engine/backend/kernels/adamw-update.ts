// AdamW on WebGPU: both moments of the flat [P] gradient in one pass each, then one in-shader update per parameter tensor;
// clipping and the non-finite guard read the step's [loss, ‖g‖², …] summary on the GPU, so no readback sits mid-step.
import { tf, type Tensor } from '../tf';
import { registerWebGPUKernelOnce, type ProgramUniform, type WebGPUBackend, type WebGPUProgram } from './webgpu-backend';

const MOMENT = 'TuneLabAdamWMoment';
const PARAM = 'TuneLabAdamWParam';
const WORKGROUP = 64;

export interface AdamWStepHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Clip the global gradient norm to this; 0 turns clipping off. */
  maxGradNorm: number;
  /** 1-based step, for bias correction. */
  t: number;
}

/** WGSL shared by both kernels: the clip factor and whether the step is finite, from summary [loss, ‖g‖², …]. */
const guard = /* wgsl */ `
fn finiteF(v: f32) -> bool { return v == v && abs(v) <= 3.4028234e38; }
fn stepIsFinite() -> bool { return finiteF(summary[0]) && finiteF(summary[1]); }
fn clipFactor() -> f32 {
  if (uniforms.maxNorm <= 0.0) { return 1.0; }
  return min(1.0, uniforms.maxNorm / (sqrt(summary[1]) + 1e-6));
}`;

/** m' = β·m + (1−β)·(c·g) or v' = β·v + (1−β)·(c·g)²; unchanged when the step is not finite. */
class MomentProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames = ['g', 'moment', 'summary'];
  uniforms = 'beta : f32, maxNorm : f32, count : i32,';
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];

  constructor(
    size: number,
    private second: boolean,
  ) {
    this.outputShape = [size];
    this.dispatch = [Math.ceil(size / WORKGROUP), 1, 1];
    this.shaderKey = `tunelabAdamWMoment_${second}`;
  }

  getUserCode(): string {
    const term = this.second ? 'cg * cg' : 'cg';
    return `${guard}
fn main(index: i32) {
  if (index >= uniforms.count) { return; }
  let old = moment[index];
  if (!stepIsFinite()) { result[index] = old; return; }
  let cg = clipFactor() * g[index];
  result[index] = uniforms.beta * old + (1.0 - uniforms.beta) * ${term};
}`;
  }
}

/** p' = p·(1 − lr·wd) − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε) for one parameter at `offset` in the flat moments. */
class ParamProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey = 'tunelabAdamWParam';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames = ['p', 'm', 'v', 'summary'];
  uniforms = 'decay : f32, stepSize : f32, sqrtBias2 : f32, eps : f32, offset : i32, count : i32,';
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  /** Elements of the parameter. */
  count: number;

  constructor(shape: number[]) {
    this.outputShape = shape;
    this.dispatchLayout = { x: shape.map((_, i) => i) };
    this.count = shape.reduce((a, b) => a * b, 1);
    this.dispatch = [Math.ceil(this.count / WORKGROUP), 1, 1];
  }

  getUserCode(): string {
    return `
fn finiteF(v: f32) -> bool { return v == v && abs(v) <= 3.4028234e38; }
fn main(index: i32) {
  if (index >= uniforms.count) { return; }
  let old = p[index];
  if (!(finiteF(summary[0]) && finiteF(summary[1]))) { result[index] = old; return; }
  let i = uniforms.offset + index;
  let denom = sqrt(v[i]) / uniforms.sqrtBias2 + uniforms.eps;
  result[index] = old * uniforms.decay - uniforms.stepSize * m[i] / denom;
}`;
  }
}

registerWebGPUKernelOnce({
  kernelName: MOMENT,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { g, moment, summary } = inputs as Record<string, tf.TensorInfo>;
    const size = g.shape[0];
    const uniforms: ProgramUniform = [
      { type: 'float32', data: [attrs!.beta as number] },
      { type: 'float32', data: [attrs!.maxNorm as number] },
      { type: 'int32', data: [size] },
    ];
    return (backend as WebGPUBackend).runWebGPUProgram(new MomentProgram(size, attrs!.second as boolean), [g, moment, summary], 'float32', uniforms);
  },
});

registerWebGPUKernelOnce({
  kernelName: PARAM,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { p, m, v, summary } = inputs as Record<string, tf.TensorInfo>;
    const program = new ParamProgram(p.shape);
    const a = attrs as Record<string, number>;
    const uniforms: ProgramUniform = [
      { type: 'float32', data: [a.decay] },
      { type: 'float32', data: [a.stepSize] },
      { type: 'float32', data: [a.sqrtBias2] },
      { type: 'float32', data: [a.eps] },
      { type: 'int32', data: [a.offset] },
      { type: 'int32', data: [program.count] },
    ];
    return (backend as WebGPUBackend).runWebGPUProgram(program, [p, m, v, summary], 'float32', uniforms);
  },
});

/**
 * One AdamW step on WebGPU for parameters whose gradients were flattened, in order, into `flatGrad` [P]; `summary`
 * holds [loss, ‖flatGrad‖², …] of this step. Assigns the new values to `params` and returns the new moments (the
 * caller disposes the old ones). When the loss or the norm is not finite, nothing changes (values are copied).
 */
export function fusedAdamWStep(params: tf.Variable[], flatGrad: Tensor, moments: { m: Tensor; v: Tensor }, summary: Tensor, hp: AdamWStepHyper): { m: Tensor; v: Tensor } {
  const engine = tf.engine();
  const moment = (which: Tensor, beta: number, second: boolean) =>
    engine.runKernel(MOMENT, { g: flatGrad, moment: which, summary } as unknown as tf.NamedTensorMap, { beta, maxNorm: hp.maxGradNorm, second }) as Tensor;
  const m = moment(moments.m, hp.beta1, false);
  const v = moment(moments.v, hp.beta2, true);
  const attrs = {
    decay: 1 - hp.lr * hp.weightDecay,
    stepSize: hp.lr / (1 - Math.pow(hp.beta1, hp.t)),
    sqrtBias2: Math.sqrt(1 - Math.pow(hp.beta2, hp.t)),
    eps: hp.eps,
  };
  let offset = 0;
  for (const p of params) {
    const next = engine.runKernel(PARAM, { p, m, v, summary } as unknown as tf.NamedTensorMap, { ...attrs, offset }) as Tensor;
    p.assign(next);
    next.dispose();
    offset += p.size;
  }
  return { m, v };
}

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
