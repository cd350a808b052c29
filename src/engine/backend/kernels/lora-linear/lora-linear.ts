// Fused (LoRA) linear on WebGPU: y = x·W + bias + s·(x·Aᵀ)·Bᵀ (+ residual) in two dispatches, and its backward, as tfjs kernels with gradients.
import { tf, type Tensor } from '../../tf';
import { registerKernelGradient, registerWebGPUKernel } from '../program';
import type { WebGPUBackend } from '../webgpu-backend';
import { runTiledMatmul, tiledMatmul, type MatmulSpec, type QLayout } from './tiled-matmul';
import { isHalfWeight, type HalfWeight } from './half-weight';
import { runGeluProgram } from '../activations/gelu';

/** 'in_out': W [in, out] (HF Conv1D); 'out_in': W [out, in] (nn.Linear). */
export type Layout = 'in_out' | 'out_in';

const LINEAR = 'TuneLabLinear';
const LORA = 'TuneLabLoraLinear';
/** With dropout on the LoRA input: the branch reads xd = dropout(x) instead of x. */
const LORA_DROPOUT = 'TuneLabLoraLinearDropout';
/**
 * The same layers reading GELU(x) instead of x (GPT-2's mlp c_proj on c_fc's pre-activation): GELU(x) is computed
 * in the kernel's forward and saved, and dx comes out of the input-gradient matmul already multiplied by GELU'(x),
 * so the GELU backward needs no dispatch (or [N, in] round trip through memory) of its own.
 */
const GELU_LINEAR = 'TuneLabGeluLinear';
let geluLinearOn = true;

/** Whether loraLinear(…, inputGelu) takes the fused GELU linear; the bench's A/B turns it off to compare. */
export function fusedGeluLinearEnabled(): boolean {
  return geluLinearOn;
}

export function setFusedGeluLinear(on: boolean): void {
  geluLinearOn = on;
}
const GELU_LORA = 'TuneLabGeluLoraLinear';

interface LinearAttrs {
  layout: Layout;
  hasBias: boolean;
  scale: number;
  /** Adds the input `residual` [N, out] in the epilogue (the skip connection); its gradient is dy itself. */
  hasResidual?: boolean;
  /** Set when W is f16 pairs packed in int32 words (a frozen base weight): W's logical 2-D shape. */
  wShape?: [number, number];
}

function dims(x: tf.TensorInfo, W: tf.TensorInfo, a: LinearAttrs): { n: number; nIn: number; nOut: number } {
  const [n, nIn] = x.shape;
  const shape = a.wShape ?? W.shape;
  const nOut = a.layout === 'in_out' ? shape[1] : shape[0];
  return { n, nIn, nOut };
}

const qHalfOf = (a: LinearAttrs): boolean => a.wShape !== undefined;

/** W as the Q operand of x·W: (k = in, n = out). */
const wForward = (layout: Layout): QLayout => (layout === 'in_out' ? 'kn' : 'nk');
/** W as the Q operand of dy·Wᵀ: (k = out, n = in). */
const wBackward = (layout: Layout): QLayout => (layout === 'in_out' ? 'nk' : 'kn');

function linearForward(inputs: Record<string, tf.TensorInfo>, a: LinearAttrs, backend: WebGPUBackend): tf.TensorInfo {
  const { x, W, bias, residual } = inputs;
  const { n, nIn, nOut } = dims(x, W, a);
  const spec: MatmulSpec = { M: n, N: nOut, K: nIn, pLayout: 'mk', qLayout: wForward(a.layout), alpha: 1, hasBias: a.hasBias, hasResidual: !!a.hasResidual, qHalf: qHalfOf(a) };
  return runTiledMatmul(backend, epilogue([x, W], a, bias, residual), spec);
}

registerWebGPUKernel(LINEAR, (inputs, attrs, backend) => linearForward(inputs, attrs as unknown as LinearAttrs, backend));

/** GeluLinear: [y, g] with g = GELU(x) [N, in], the layer's real input, saved for dW. */
registerWebGPUKernel(GELU_LINEAR, (inputs, attrs, backend) => {
  const g = runGeluProgram(backend, inputs.x);
  return [linearForward({ ...inputs, x: g }, attrs as unknown as LinearAttrs, backend), g];
});

/** The matmul's operands followed by the epilogue's: [bias], [residual]. */
function epilogue(operands: tf.TensorInfo[], a: LinearAttrs, bias: tf.TensorInfo | undefined, residual: tf.TensorInfo | undefined): tf.TensorInfo[] {
  return [...operands, ...(a.hasBias ? [bias!] : []), ...(a.hasResidual ? [residual!] : [])];
}

/** Forward of both LoRA kernels: hs = s·xd·Aᵀ [N, r] (one tiny pass), then y = x·W + hs·Bᵀ + bias [N, out]. */
function loraForward(inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>, gpu: WebGPUBackend): tf.TensorInfo[] {
  const a = attrs as unknown as LinearAttrs;
  const { x, W, A, B, bias, xd, residual } = inputs;
  const { n, nIn, nOut } = dims(x, W, a);
  const r = A.shape[0];
  const hs = runTiledMatmul(gpu, [xd ?? x, A], { M: n, N: r, K: nIn, pLayout: 'mk', qLayout: 'nk', alpha: a.scale, hasBias: false });
  const spec: MatmulSpec = {
    M: n,
    N: nOut,
    K: nIn,
    pLayout: 'mk',
    qLayout: wForward(a.layout),
    alpha: 1,
    second: { K: r, pLayout: 'mk', qLayout: 'nk' },
    hasBias: a.hasBias,
    hasResidual: !!a.hasResidual,
    qHalf: qHalfOf(a),
  };
  const y = runTiledMatmul(gpu, epilogue([x, W, hs, B], a, bias, residual), spec);
  return [y, hs];
}

for (const kernelName of [LORA, LORA_DROPOUT]) registerWebGPUKernel(kernelName, loraForward);

/** GeluLoraLinear: [y, hs, g] with g = GELU(x) [N, in], the layer's real input (the branch has no dropout). */
registerWebGPUKernel(GELU_LORA, (inputs, attrs, backend) => {
  const g = runGeluProgram(backend, inputs.x);
  return [...loraForward({ ...inputs, x: g }, attrs, backend), g];
});

const mm = tiledMatmul;

/** dW for either layout: in_out [in, out] = xᵀ·dy; out_in [out, in] = dyᵀ·x. Rows of x and dy are the K axis. */
function weightGrad(x: Tensor, dy: Tensor, a: LinearAttrs): Tensor {
  if (qHalfOf(a)) throw new Error('internal: an f16 base weight is frozen; it has no gradient (train it in f32)');
  const layout = a.layout;
  const [n, nIn] = x.shape as [number, number];
  const nOut = dy.shape[1] as number;
  return layout === 'in_out'
    ? mm({ P: x, Q: dy }, { M: nIn, N: nOut, K: n, pLayout: 'km', qLayout: 'kn', alpha: 1, hasBias: false })
    : mm({ P: dy, Q: x }, { M: nOut, N: nIn, K: n, pLayout: 'km', qLayout: 'kn', alpha: 1, hasBias: false });
}

/**
 * dy·Wᵀ [N, in], plus dh·A when the LoRA input is x itself (one pass for both); an f16 W is read as f16 here too.
 * With geluPre (the layer read GELU(geluPre)), the result is multiplied by GELU'(geluPre) in the same pass.
 */
function inputGrad(dy: Tensor, W: Tensor, a: LinearAttrs, nIn: number, lora?: { dh: Tensor; A: Tensor }, geluPre?: Tensor): Tensor {
  const [n, nOut] = dy.shape;
  const spec: MatmulSpec = { M: n, N: nIn, K: nOut, pLayout: 'mk', qLayout: wBackward(a.layout), alpha: 1, hasBias: false, qHalf: qHalfOf(a), ...(geluPre ? { geluGrad: true } : {}) };
  const pre = geluPre ? { pre: geluPre } : {};
  if (!lora) return mm({ P: dy, Q: W, ...pre }, spec);
  return mm({ P: dy, Q: W, P2: lora.dh, Q2: lora.A, ...pre }, { ...spec, second: { K: lora.A.shape[0], pLayout: 'mk', qLayout: 'kn' } });
}

registerKernelGradient({
  kernelName: LINEAR,
  inputsToSave: ['x', 'W'],
  gradFunc: (dy, saved, attrs) => {
    const a = attrs as unknown as LinearAttrs;
    const [x, W] = saved;
    const g = dy as Tensor;
    return {
      x: () => inputGrad(g, W, a, x.shape[1] as number),
      W: () => weightGrad(x, g, a),
      bias: () => tf.sum(g, 0),
      residual: () => tf.clone(g),
    };
  },
});

registerKernelGradient({
  kernelName: GELU_LINEAR,
  inputsToSave: ['x', 'W'],
  outputsToSave: [false, true],
  gradFunc: (dys, saved, attrs) => {
    const a = attrs as unknown as LinearAttrs;
    const [dy] = dys as Tensor[]; // the second output (g) is internal: its incoming gradient is zero
    const [x, W, g] = saved;
    return {
      x: () => inputGrad(dy, W, a, x.shape[1] as number, undefined, x),
      W: () => weightGrad(g, dy, a),
      bias: () => tf.sum(dy, 0),
      residual: () => tf.clone(dy),
    };
  },
});

/** The LoRA kernels' backward; `gelu`: GeluLoraLinear, whose saved x is the pre-activation and whose input is the saved GELU(x). */
function loraGrad(withDropout: boolean, gelu = false): tf.GradFunc {
  return (dys, saved, attrs) => {
    const a = attrs as unknown as LinearAttrs;
    const [dy] = dys as Tensor[]; // the other outputs (hs, g) are internal: their incoming gradient is zero
    const [pre, W, A, B, ...rest] = saved;
    // The layer's input: x, or GELU(x) saved by the forward (then pre is x, for GELU' in dx).
    const x = gelu ? rest[rest.length - 1] : pre;
    const xd = withDropout ? rest[0] : x;
    const hs = gelu ? rest[rest.length - 2] : rest[rest.length - 1];
    const [n, nIn] = x.shape;
    const [nOut, r] = B.shape;
    // dh = s·dy·B [N, r]: shared by dx and dA, so computed once here (the backprop scope disposes it).
    const dh = mm({ P: dy, Q: B }, { M: n, N: r, K: nOut, pLayout: 'mk', qLayout: 'kn', alpha: a.scale, hasBias: false });
    const grads: Record<string, () => Tensor> = {
      // dA = dhᵀ·xd [r, in]; dB = dyᵀ·hs [out, r]
      A: () => mm({ P: dh, Q: xd }, { M: r, N: nIn, K: n, pLayout: 'km', qLayout: 'kn', alpha: 1, hasBias: false }),
      B: () => mm({ P: dy, Q: hs }, { M: nOut, N: r, K: n, pLayout: 'km', qLayout: 'kn', alpha: 1, hasBias: false }),
      W: () => weightGrad(x, dy, a),
      bias: () => tf.sum(dy, 0),
      residual: () => tf.clone(dy),
    };
    if (withDropout) {
      grads.x = () => inputGrad(dy, W, a, nIn);
      grads.xd = () => mm({ P: dh, Q: A }, { M: n, N: nIn, K: r, pLayout: 'mk', qLayout: 'kn', alpha: 1, hasBias: false });
    } else {
      grads.x = () => inputGrad(dy, W, a, nIn, { dh, A }, gelu ? pre : undefined);
    }
    return grads;
  };
}

registerKernelGradient({ kernelName: LORA, inputsToSave: ['x', 'W', 'A', 'B'], outputsToSave: [false, true], gradFunc: loraGrad(false) });
registerKernelGradient({ kernelName: LORA_DROPOUT, inputsToSave: ['x', 'W', 'A', 'B', 'xd'], outputsToSave: [false, true], gradFunc: loraGrad(true) });
registerKernelGradient({ kernelName: GELU_LORA, inputsToSave: ['x', 'W', 'A', 'B'], outputsToSave: [false, true, true], gradFunc: loraGrad(false, true) });

export interface FusedLoraBranch {
  A: Tensor;
  B: Tensor;
  scale: number;
  /** dropout(x) when the branch has dropout; the branch reads it instead of x. */
  xd?: Tensor;
}

/**
 * x [N, in] → [N, out] on WebGPU: x·W + bias (+ s·(xd·Aᵀ)·Bᵀ) (+ residual [N, out]), differentiable in every input
 * except an f16 W (a frozen base weight, read as f16 forward and in dx, accumulated in f32). The residual add costs
 * no dispatch of its own, forward or backward. Only call when useFusedKernels() is true; other backends run the
 * composite ops.
 */
export function fusedLinear(x: Tensor, W: Tensor | HalfWeight, bias: Tensor | null, layout: Layout, lora: FusedLoraBranch | null, residual: Tensor | null = null): Tensor {
  return fusedLinearOn(x, false, W, bias, layout, lora, residual);
}

/**
 * fusedLinear(GELU(x), …) (tanh GELU) with GELU's backward folded into the input-gradient matmul: x [N, in] is the
 * pre-activation. The LoRA branch reads GELU(x) too and may not have dropout (compose gelu and fusedLinear for that).
 */
export function fusedGeluLinear(x: Tensor, W: Tensor | HalfWeight, bias: Tensor | null, layout: Layout, lora: FusedLoraBranch | null, residual: Tensor | null = null): Tensor {
  if (lora?.xd) throw new Error('internal: fusedGeluLinear has no LoRA dropout; apply gelu and call fusedLinear');
  return fusedLinearOn(x, true, W, bias, layout, lora, residual);
}

function fusedLinearOn(x: Tensor, gelu: boolean, W: Tensor | HalfWeight, bias: Tensor | null, layout: Layout, lora: FusedLoraBranch | null, residual: Tensor | null): Tensor {
  const half = isHalfWeight(W);
  const inputs: Record<string, Tensor> = { x, W: half ? W.packed : W };
  if (bias) inputs.bias = bias;
  if (residual) inputs.residual = residual;
  const attrs: LinearAttrs = { layout, hasBias: bias !== null, scale: lora?.scale ?? 1, hasResidual: residual !== null, ...(half ? { wShape: W.shape } : {}) };
  const run = (name: string) => tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as unknown as tf.NamedAttrMap);
  if (!lora && !gelu) return run(LINEAR) as Tensor;
  if (lora) {
    inputs.A = lora.A;
    inputs.B = lora.B;
    if (lora.xd) inputs.xd = lora.xd;
  }
  // The outputs after y (hs, GELU(x)) are only for the backward, which keeps its own references.
  const [y, ...internal] = run(gelu ? (lora ? GELU_LORA : GELU_LINEAR) : lora!.xd ? LORA_DROPOUT : LORA) as Tensor[];
  tf.dispose(internal);
  return y;
}
