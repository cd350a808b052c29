// CPU reference (float64 loops) of the LoRA linear forward and backward, the check the WGSL kernels are held to.
import type { Layout } from './lora-linear';
import { pseudoRandom } from '../check-harness';

export interface LoraLinearCase {
  n: number;
  nIn: number;
  nOut: number;
  /** 0: no LoRA branch. */
  r: number;
  layout: Layout;
  hasBias: boolean;
  scale: number;
  /** Adds residual [n, out] to y (its gradient is dy). */
  hasResidual?: boolean;
  /** The layer reads GELU(x) (tanh approximation), not x: GPT-2's mlp c_proj on c_fc's output; dx is then d/dx. */
  geluInput?: boolean;
}

export interface LoraLinearData {
  x: Float32Array; // [n, in]
  W: Float32Array; // [in, out] or [out, in]
  bias: Float32Array; // [out]
  A: Float32Array; // [r, in]
  B: Float32Array; // [out, r]
  dy: Float32Array; // [n, out]
  residual?: Float32Array; // [n, out]
}

export interface LoraLinearResult {
  y: Float64Array;
  dx: Float64Array;
  dW: Float64Array;
  dBias: Float64Array;
  dA: Float64Array;
  dB: Float64Array;
}

/** y = x·W + bias + s·(x·Aᵀ)·Bᵀ (+ residual) and the gradients of Σ dy ⊙ y with respect to every input. */
export function loraLinearReference(c: LoraLinearCase, data: LoraLinearData): LoraLinearResult {
  const { n, nIn, nOut, r, layout, scale } = c;
  // With geluInput everything below reads x = GELU(x) (float64), and dx is multiplied by GELU'(x) at the end.
  const d = c.geluInput ? { ...data, x: Float64Array.from(data.x, gelu64) } : data;
  const w = (i: number, o: number) => (layout === 'in_out' ? d.W[i * nOut + o] : d.W[o * nIn + i]);
  const h = new Float64Array(n * r); // s·x·Aᵀ
  for (let t = 0; t < n; t++)
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let i = 0; i < nIn; i++) s += d.x[t * nIn + i] * d.A[j * nIn + i];
      h[t * r + j] = scale * s;
    }
  const y = new Float64Array(n * nOut);
  for (let t = 0; t < n; t++)
    for (let o = 0; o < nOut; o++) {
      let s = (c.hasBias ? d.bias[o] : 0) + (c.hasResidual ? d.residual![t * nOut + o] : 0);
      for (let i = 0; i < nIn; i++) s += d.x[t * nIn + i] * w(i, o);
      for (let j = 0; j < r; j++) s += h[t * r + j] * d.B[o * r + j];
      y[t * nOut + o] = s;
    }
  const dh = new Float64Array(n * r); // s·dy·B
  for (let t = 0; t < n; t++)
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let o = 0; o < nOut; o++) s += d.dy[t * nOut + o] * d.B[o * r + j];
      dh[t * r + j] = scale * s;
    }
  const dx = new Float64Array(n * nIn);
  for (let t = 0; t < n; t++)
    for (let i = 0; i < nIn; i++) {
      let s = 0;
      for (let o = 0; o < nOut; o++) s += d.dy[t * nOut + o] * w(i, o);
      for (let j = 0; j < r; j++) s += dh[t * r + j] * d.A[j * nIn + i];
      dx[t * nIn + i] = c.geluInput ? s * geluGrad64(data.x[t * nIn + i]) : s;
    }
  const dW = new Float64Array(nIn * nOut);
  for (let i = 0; i < nIn; i++)
    for (let o = 0; o < nOut; o++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += d.x[t * nIn + i] * d.dy[t * nOut + o];
      dW[layout === 'in_out' ? i * nOut + o : o * nIn + i] = s;
    }
  const dBias = new Float64Array(nOut);
  for (let t = 0; t < n; t++) for (let o = 0; o < nOut; o++) dBias[o] += d.dy[t * nOut + o];
  const dA = new Float64Array(r * nIn);
  for (let j = 0; j < r; j++)
    for (let i = 0; i < nIn; i++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += dh[t * r + j] * d.x[t * nIn + i];
      dA[j * nIn + i] = s;
    }
  const dB = new Float64Array(nOut * r);
  for (let o = 0; o < nOut; o++)
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let t = 0; t < n; t++) s += d.dy[t * nOut + o] * h[t * r + j];
      dB[o * r + j] = s;
    }
  return { y, dx, dW, dBias, dA, dB };
}

const K0 = Math.sqrt(2 / Math.PI);
const K1 = 0.044715;

/** GELU, tanh approximation (HF "gelu_new"), in float64. */
export function gelu64(v: number): number {
  return 0.5 * v * (1 + Math.tanh(K0 * (v + K1 * v ** 3)));
}

/** d/dv of gelu64. */
export function geluGrad64(v: number): number {
  const t = Math.tanh(K0 * (v + K1 * v ** 3));
  return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * K0 * (1 + 3 * K1 * v * v);
}


/** A case's inputs from consecutive seeds (A and B have at least one row so r = 0 cases still get arrays). */
export function loraLinearCaseData(c: LoraLinearCase, seed: number): Required<LoraLinearData> {
  const { n, nIn, nOut, r } = c;
  return {
    x: pseudoRandom(n * nIn, seed),
    W: pseudoRandom(nIn * nOut, seed + 1),
    bias: pseudoRandom(nOut, seed + 2),
    A: pseudoRandom(Math.max(r, 1) * nIn, seed + 3),
    B: pseudoRandom(nOut * Math.max(r, 1), seed + 4),
    dy: pseudoRandom(n * nOut, seed + 5),
    residual: pseudoRandom(n * nOut, seed + 6),
  };
}

