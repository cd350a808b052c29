// One WGSL matmul with an epilogue, C = α·op(P)·op(Q) + op(P2)·op(Q2) + bias (+ residual), any shape (tails masked), as a tfjs kernel.
import { tf, type Tensor } from '../../tf';
import { registerWebGPUKernel } from '../program';
import type { ProgramUniform, WebGPUBackend, WebGPUProgram } from '../webgpu-backend';
import { currentTiling, tileFor, type Tiling } from './tiling';
import { GELU_GRAD_WGSL } from '../activations/gelu';

/**
 * How an operand of the product C[M, N] = Σ_k P[m, k]·Q[k, n] is stored, row-major:
 * P is 'mk' ([M, K]) or 'km' ([K, M]); Q is 'kn' ([K, N]) or 'nk' ([N, K]).
 */
export type PLayout = 'mk' | 'km';
export type QLayout = 'kn' | 'nk';

export interface MatmulSpec {
  M: number;
  N: number;
  K: number;
  pLayout: PLayout;
  qLayout: QLayout;
  /** Scale of the first product only. */
  alpha: number;
  /** A second product over its own K2, added after α·P·Q (the LoRA path). */
  second?: { K: number; pLayout: PLayout; qLayout: QLayout };
  hasBias: boolean;
  /** Adds a residual R [M, N] in the epilogue (a transformer's skip connection), bound after the bias. */
  hasResidual?: boolean;
  /**
   * Multiplies each output by GELU'(pre) in the epilogue, pre [M, N] bound last: the input gradient of a layer that
   * reads GELU(pre) (GeluLinear's dx), so the GELU backward needs no dispatch of its own.
   */
  geluGrad?: boolean;
  /**
   * Q is a frozen weight stored as f16 pairs in an int32 tensor (two halves per 32-bit word, row-major, see f16.ts),
   * unpacked in the loads with unpack2x16float (core WGSL, no shader-f16 needed); accumulation stays f32.
   */
  qHalf?: boolean;
}

/** Storage bindings in the program's variable order: P, Q, [P2, Q2], [bias], [residual], [pre]. */
function operandNames(spec: MatmulSpec): string[] {
  return ['P', 'Q', ...(spec.second ? ['P2', 'Q2'] : []), ...(spec.hasBias ? ['bias'] : []), ...(spec.hasResidual ? ['residual'] : []), ...(spec.geluGrad ? ['pre'] : [])];
}

const KERNEL = 'TuneLabTiledMatmul';

/** Which operands are bound as vec4 arrays: those whose rows (the contiguous axis) are a multiple of 4 long. */
interface VecFlags {
  p: boolean;
  q: boolean;
}

function vecFlags(pl: PLayout, ql: QLayout, M: number, N: number, K: number): VecFlags {
  return { p: (pl === 'mk' ? K : M) % 4 === 0, q: (ql === 'kn' ? N : K) % 4 === 0 };
}

/** One float at flat index e of an array bound as f32 or as vec4<f32>. */
function scalarAt(name: string, vec: boolean, e: string): string {
  return vec ? `${name}[(${e}) / 4][(${e}) % 4]` : `${name}[${e}]`;
}

/** One float at flat index e of f16 pairs bound as i32 words, or as vec2<i32> (four halves) when vec. */
function halfAt(name: string, vec: boolean, e: string): string {
  const word = vec ? `${name}[(${e}) / 4][((${e}) % 4) / 2]` : `${name}[(${e}) / 2]`;
  return `unpack2x16float(bitcast<u32>(${word}))[(${e}) % 2]`;
}

/** WGSL helper of the half-precision Q: four halves (one vec2<i32> element) as a vec4<f32>. */
const HALVES4 = `
fn halves4(v: vec2<i32>) -> vec4<f32> {
  return vec4<f32>(unpack2x16float(bitcast<u32>(v.x)), unpack2x16float(bitcast<u32>(v.y)));
}`;

/** Q[i] of a vec4 binding: the vec4<f32> itself, or four unpacked halves. */
function vecQ(name: string, half: boolean, i: string): string {
  return half ? `halves4(${name}[${i}])` : `${name}[${i}]`;
}

function loadP(name: string, layout: PLayout, vec: boolean, m: string, k: string, K: string): string {
  return scalarAt(name, vec, layout === 'mk' ? `(${m}) * ${K} + ${k}` : `(${k}) * uniforms.M + ${m}`);
}

function loadQ(name: string, layout: QLayout, vec: boolean, k: string, n: string, K: string, half = false): string {
  const e = layout === 'kn' ? `(${k}) * uniforms.N + ${n}` : `(${n}) * ${K} + ${k}`;
  return half ? halfAt(name, vec, e) : scalarAt(name, vec, e);
}

/**
 * The product loop over one (P, Q) pair. Blocks of 4 k: P as TM×4 values, Q as 4×TN, loaded as vec4 along each
 * operand's contiguous axis when it is bound as vec4 (12 vec4 loads per 128 multiply-adds for a 4×8 tile), else
 * as scalars; then a scalar loop over the K % 4 tail. Row and column indices are clamped, so tails read valid
 * memory and only the store is masked.
 */
function productLoop(t: Tiling, p: string, q: string, pl: PLayout, ql: QLayout, vec: VecFlags, K: string, scale: string, qHalf: boolean): string {
  const rows = Array.from({ length: t.tm }, (_, i) => i);
  const cols = Array.from({ length: t.tn }, (_, c) => c);
  const quads = Array.from({ length: t.tn / 4 }, (_, j) => j);
  const kks = [0, 1, 2, 3];
  const comp = ['x', 'y', 'z', 'w'];
  // a(i, kk) and b(kk, j) as WGSL expressions after the block's loads.
  let loadsP: string[];
  let a: (i: number, kk: number) => string;
  if (vec.p && pl === 'mk') {
    loadsP = rows.map((i) => `let pv${i} = ${p}[mr${i} * (${K} / 4) + kb];`);
    a = (i, kk) => `pv${i}.${comp[kk]}`;
  } else if (vec.p && pl === 'km' && t.tm % 4 === 0) {
    // tm/4 quads of rows per k; a quad past the last row (M a multiple of 4, not of tm) is clamped and never stored.
    const quadsM = Array.from({ length: t.tm / 4 }, (_, h) => h);
    loadsP = kks.flatMap((kk) => quadsM.map((h) => `let pv${kk}_${h} = ${p}[(k0 + ${kk}) * (uniforms.M / 4) + ${h === 0 ? 'm0 / 4' : `min(m0 / 4 + ${h}, uniforms.M / 4 - 1)`}];`));
    a = (i, kk) => `pv${kk}_${i >> 2}.${comp[i % 4]}`;
  } else {
    loadsP = rows.flatMap((i) => kks.map((kk) => `let pv${i}_${kk} = ${loadP(p, pl, vec.p, `mr${i}`, `k0 + ${kk}`, K)};`));
    a = (i, kk) => `pv${i}_${kk}`;
  }
  let loadsQ: string[];
  let b: (kk: number, j: number) => string;
  if (vec.q && ql === 'kn') {
    loadsQ = kks.flatMap((kk) => quads.map((j) => `let qv${kk}_${j} = ${vecQ(q, qHalf, `(k0 + ${kk}) * (uniforms.N / 4) + min(n0 / 4 + ${j}, uniforms.N / 4 - 1)`)};`));
    b = (kk, j) => `qv${kk}_${j}`;
  } else if (vec.q && ql === 'nk') {
    loadsQ = cols.map((c) => `let qv${c} = ${vecQ(q, qHalf, `nc${c} * (${K} / 4) + kb`)};`);
    b = (kk, j) => `vec4<f32>(${[0, 1, 2, 3].map((c) => `qv${j * 4 + c}.${comp[kk]}`).join(', ')})`;
  } else {
    loadsQ = kks.flatMap((kk) => cols.map((c) => `let qs${kk}_${c} = ${loadQ(q, ql, vec.q, `k0 + ${kk}`, `nc${c}`, K, qHalf)};`));
    b = (kk, j) => `vec4<f32>(${[0, 1, 2, 3].map((c) => `qs${kk}_${j * 4 + c}`).join(', ')})`;
  }
  const blockFmas = kks.flatMap((kk) => [
    ...quads.map((j) => `let b${kk}_${j} = ${b(kk, j)};`),
    ...rows.flatMap((i) => quads.map((j) => `s${i}_${j} = fma(vec4<f32>(${a(i, kk)}), b${kk}_${j}, s${i}_${j});`)),
  ]);
  const tailP = rows.map((i) => `let ta${i} = ${loadP(p, pl, vec.p, `mr${i}`, 'k', K)};`);
  const tailQ = quads.map((j) => `let tb${j} = vec4<f32>(${[0, 1, 2, 3].map((c) => loadQ(q, ql, vec.q, 'k', `nc${j * 4 + c}`, K, qHalf)).join(', ')});`);
  const tailFmas = rows.flatMap((i) => quads.map((j) => `s${i}_${j} = fma(vec4<f32>(ta${i}), tb${j}, s${i}_${j});`));
  const init = rows.flatMap((i) => quads.map((j) => `var s${i}_${j} = vec4<f32>(0.0);`)).join('\n    ');
  const fold = rows.flatMap((i) => quads.map((j) => `acc${i}_${j} = acc${i}_${j} + ${scale} * s${i}_${j};`)).join('\n    ');
  const sep = '\n      ';
  return `{
    ${init}
    let kBlocks = ${K} / 4;
    for (var kb = 0; kb < kBlocks; kb = kb + 1) {
      let k0 = kb * 4;
      ${loadsP.join(sep)}
      ${loadsQ.join(sep)}
      ${blockFmas.join(sep)}
    }
    for (var k = kBlocks * 4; k < ${K}; k = k + 1) {
      ${tailP.join(sep)}
      ${tailQ.join(sep)}
      ${tailFmas.join(sep)}
    }
    ${fold}
  }`;
}

/** Floats of workgroup memory the shared tiling may use (16 KiB, WebGPU's guaranteed minimum). */
const SHARED_FLOATS = 4096;

interface SharedTile {
  /** Rows and columns of C per workgroup, and the k-slice staged per step. */
  rows: number;
  cols: number;
  kt: number;
}

function sharedTile(t: Tiling, wgx: number, wgy: number): SharedTile {
  const rows = t.tm * wgy;
  const cols = t.tn * wgx;
  const kt = Math.max(1, Math.min(16, Math.floor(SHARED_FLOATS / (rows + cols))));
  return { rows, cols, kt };
}

/**
 * The product loop of the 'workgroup' tiling: per k-slice, all threads copy a rows×kt slice of P and a kt×cols slice
 * of Q into workgroup memory (zero outside the matrices, so tails need no special case), wait at a barrier, and
 * accumulate their tm×tn outputs from shared memory.
 */
function sharedProductLoop(t: Tiling, threads: number, tile: SharedTile, p: string, q: string, pl: PLayout, ql: QLayout, vec: VecFlags, K: string, scale: string, qHalf: boolean): string {
  const rows = Array.from({ length: t.tm }, (_, i) => i);
  const quads = Array.from({ length: t.tn / 4 }, (_, j) => j);
  const { kt, cols } = tile;
  const init = rows.flatMap((i) => quads.map((j) => `var s${i}_${j} = vec4<f32>(0.0);`)).join('\n    ');
  const fold = rows.flatMap((i) => quads.map((j) => `acc${i}_${j} = acc${i}_${j} + ${scale} * s${i}_${j};`)).join('\n    ');
  const aLoads = rows.map((i) => `let a${i} = Ps[(ly * ${t.tm} + ${i}) * ${kt} + kk];`).join('\n        ');
  const bLoads = quads
    .map((j) => `let b${j} = vec4<f32>(${[0, 1, 2, 3].map((c) => `Qs[kk * ${cols} + lx * ${t.tn} + ${j * 4 + c}]`).join(', ')});`)
    .join('\n        ');
  const fmas = rows.flatMap((i) => quads.map((j) => `s${i}_${j} = fma(vec4<f32>(a${i}), b${j}, s${i}_${j});`)).join('\n        ');
  return `{
    ${init}
    for (var k0 = 0; k0 < ${K}; k0 = k0 + ${kt}) {
      for (var e = i32(localIndex); e < ${tile.rows * kt}; e = e + ${threads}) {
        let m = mBase + e / ${kt};
        let k = k0 + e % ${kt};
        let v = ${loadP(p, pl, vec.p, `min(m, uniforms.M - 1)`, `min(k, ${K} - 1)`, K)};
        Ps[e] = select(0.0, v, m < uniforms.M && k < ${K});
      }
      for (var e = i32(localIndex); e < ${kt * cols}; e = e + ${threads}) {
        let k = k0 + e / ${cols};
        let n = nBase + e % ${cols};
        let v = ${loadQ(q, ql, vec.q, `min(k, ${K} - 1)`, `min(n, uniforms.N - 1)`, K, qHalf)};
        Qs[e] = select(0.0, v, n < uniforms.N && k < ${K});
      }
      workgroupBarrier();
      for (var kk = 0; kk < ${kt}; kk = kk + 1) {
        ${aLoads}
        ${bLoads}
        ${fmas}
      }
      workgroupBarrier();
    }
    ${fold}
  }`;
}

export class TiledMatmulProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [1], y: [0] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms = 'M : i32, N : i32, K : i32, K2 : i32, alpha : f32,';
  workgroupSize: [number, number, number];
  variableComponents: number[];
  private vec: VecFlags;
  private vec2: VecFlags;
  private tile: SharedTile;

  /** Invocations per workgroup: the tiling's, capped by the device. */
  private threads: number;

  constructor(
    private spec: MatmulSpec,
    private tiling: Tiling,
    limits: Pick<GPUSupportedLimits, 'maxComputeInvocationsPerWorkgroup' | 'maxComputeWorkgroupSizeY'>,
  ) {
    const { M, N } = spec;
    this.outputShape = [M, N];
    this.variableNames = operandNames(spec);
    // Narrow outputs (the LoRA rank r) get a workgroup that is tall instead of wide, so threads are not idle; within
    // the device's limits (compatibility mode allows only 128 invocations and 128 along y by default).
    const threads = Math.min(tiling.threads, limits.maxComputeInvocationsPerWorkgroup);
    const colThreads = Math.ceil(N / tiling.tn);
    let wgx = 1;
    while ((wgx < (tiling.wgx ?? 16) && wgx < colThreads && wgx < threads) || threads / wgx > limits.maxComputeWorkgroupSizeY) wgx *= 2;
    const wgy = threads / wgx;
    this.threads = threads;
    this.workgroupSize = [wgx, wgy, 1];
    this.tile = sharedTile(tiling, wgx, wgy);
    this.dispatch = [Math.ceil(N / (tiling.tn * wgx)), Math.ceil(M / (tiling.tm * wgy)), 1];
    const s = spec.second;
    this.vec = vecFlags(spec.pLayout, spec.qLayout, M, N, spec.K);
    this.vec2 = s ? vecFlags(s.pLayout, s.qLayout, M, N, s.K) : { p: false, q: false };
    const c = (v: boolean) => (v ? 4 : 1);
    // A half Q binds its words as i32 (scalar loads) or vec2<i32> (four halves, in place of a vec4<f32>).
    const qComponents = spec.qHalf ? (this.vec.q ? 2 : 1) : c(this.vec.q);
    this.variableComponents = [c(this.vec.p), qComponents, ...(s ? [c(this.vec2.p), c(this.vec2.q)] : []), ...(spec.hasBias ? [1] : []), ...(spec.hasResidual ? [1] : []), ...(spec.geluGrad ? [1] : [])];
    const flags = (v: VecFlags) => `${+v.p}${+v.q}`;
    this.shaderKey = `tunelabMatmul_${tiling.name}_kt${this.tile.kt}_${spec.pLayout}${spec.qLayout}${flags(this.vec)}_${s ? `${s.pLayout}${s.qLayout}${flags(this.vec2)}` : 'none'}_${spec.hasBias}${spec.hasResidual ? '_res' : ''}${spec.geluGrad ? '_gelugrad' : ''}_${wgx}x${wgy}${spec.qHalf ? '_qf16' : ''}`;
  }

  getUserCode(): string {
    const t = this.tiling;
    const { spec } = this;
    const rows = Array.from({ length: t.tm }, (_, i) => i);
    const cols = Array.from({ length: t.tn }, (_, c) => c);
    const quads = Array.from({ length: t.tn / 4 }, (_, j) => j);
    const acc = rows.flatMap((i) => quads.map((j) => `var acc${i}_${j} = vec4<f32>(0.0);`)).join('\n  ');
    const rowIdx = rows.map((i) => `let mr${i} = min(m0 + ${i}, uniforms.M - 1);`).join('\n  ');
    const colIdx = cols.map((c) => `let nc${c} = min(n0 + ${c}, uniforms.N - 1);`).join('\n  ');
    const shared = t.kind === 'workgroup';
    const loop = (p: string, q: string, pl: PLayout, ql: QLayout, vec: VecFlags, K: string, scale: string, qHalf: boolean) =>
      shared ? sharedProductLoop(t, this.threads, this.tile, p, q, pl, ql, vec, K, scale, qHalf) : productLoop(t, p, q, pl, ql, vec, K, scale, qHalf);
    const qHalf = spec.qHalf === true;
    const main = loop('P', 'Q', spec.pLayout, spec.qLayout, this.vec, 'uniforms.K', 'uniforms.alpha', qHalf);
    const second = spec.second ? loop('P2', 'Q2', spec.second.pLayout, spec.second.qLayout, this.vec2, 'uniforms.K2', '1.0', false) : '';
    const helpers = `${qHalf ? HALVES4 : ''}${spec.geluGrad ? GELU_GRAD_WGSL : ''}`;
    const comps = ['x', 'y', 'z', 'w'];
    // The bias of each column is loaded once, before the stores (the compiler cannot move a load across a store
    // to another buffer: read inside each store, it was loaded tm times per column); clamped like the loads.
    const biasLoads = spec.hasBias ? cols.map((c) => `let bias${c} = bias[min(n0 + ${c}, uniforms.N - 1)];`).join('\n  ') : '';
    const stores = rows
      .flatMap((i) =>
        cols.map((c) => {
          const v = `acc${i}_${Math.floor(c / 4)}.${comps[c % 4]}`;
          const at = `(m0 + ${i}) * uniforms.N + n0 + ${c}`;
          const sum = `${v}${spec.hasBias ? ` + bias${c}` : ''}${spec.hasResidual ? ` + residual[${at}]` : ''}`;
          const value = spec.geluGrad ? `(${sum}) * geluGradFactor(pre[${at}])` : sum;
          return `if (m0 + ${i} < uniforms.M && n0 + ${c} < uniforms.N) { result[${at}] = ${value}; }`;
        }),
      )
      .join('\n  ');
    if (shared) {
      // No early return: every thread must reach the barriers; out-of-range outputs are only masked at the store.
      return `${helpers}
var<workgroup> Ps: array<f32, ${this.tile.rows * this.tile.kt}>;
var<workgroup> Qs: array<f32, ${this.tile.kt * this.tile.cols}>;
fn main() {
  let lx = i32(localId.x);
  let ly = i32(localId.y);
  let mBase = i32(workgroupId.y) * ${this.tile.rows};
  let nBase = i32(workgroupId.x) * ${this.tile.cols};
  let m0 = mBase + ly * ${t.tm};
  let n0 = nBase + lx * ${t.tn};
  ${acc}
  ${main}
  ${second}
  ${biasLoads}
  ${stores}
}`;
    }
    return `${helpers}
fn main() {
  let m0 = i32(globalId.y) * ${t.tm};
  let n0 = i32(globalId.x) * ${t.tn};
  if (m0 >= uniforms.M || n0 >= uniforms.N) { return; }
  ${rowIdx}
  ${colIdx}
  ${acc}
  ${main}
  ${second}
  ${biasLoads}
  ${stores}
}`;
  }
}

/** Records the program on the backend's queue: inputs in the program's variable order (operandNames). */
export function runTiledMatmul(backend: WebGPUBackend, inputs: tf.TensorInfo[], spec: MatmulSpec): tf.TensorInfo {
  const program = new TiledMatmulProgram(spec, tileFor(currentTiling(), spec.M, spec.N), backend.device.limits);
  const uniforms: ProgramUniform = [
    { type: 'int32', data: [spec.M] },
    { type: 'int32', data: [spec.N] },
    { type: 'int32', data: [spec.K] },
    { type: 'int32', data: [spec.second?.K ?? 0] },
    { type: 'float32', data: [spec.alpha] },
  ];
  return backend.runWebGPUProgram(program, inputs, 'float32', uniforms);
}

registerWebGPUKernel(KERNEL, (inputs, attrs, backend) => {
  const spec = JSON.parse(attrs.spec as string) as MatmulSpec;
  return runTiledMatmul(backend, operandNames(spec).map((n) => inputs[n]!), spec);
});

export interface MatmulOperands {
  P: Tensor;
  Q: Tensor;
  P2?: Tensor;
  Q2?: Tensor;
  bias?: Tensor;
  residual?: Tensor;
  pre?: Tensor;
}

/** Runs the WGSL matmul (WebGPU backend only); not differentiable by itself: the ops that use it supply gradients. */
export function tiledMatmul(operands: MatmulOperands, spec: MatmulSpec): Tensor {
  const inputs: Record<string, Tensor> = { P: operands.P, Q: operands.Q };
  if (spec.second) {
    inputs.P2 = operands.P2!;
    inputs.Q2 = operands.Q2!;
  }
  if (spec.hasBias) inputs.bias = operands.bias!;
  if (spec.hasResidual) inputs.residual = operands.residual!;
  if (spec.geluGrad) inputs.pre = operands.pre!;
  return tf.engine().runKernel(KERNEL, inputs as unknown as tf.NamedTensorMap, { spec: JSON.stringify(spec) }) as Tensor;
}
