// Fused causal attention in WGSL: one dispatch forward (online softmax, no score matrix), two backward, any q/k/v layout.
//
// Every tensor is addressed through a layout (offset, batch/head/time strides; the head dim is contiguous), so one
// kernel reads GPT-2's packed c_attn output [B·T, (H+2Hkv)·D] in place, or separate [B, H, T, D] tensors, or a KV
// cache, and writes its output straight in the merged [B·T, H·D] layout the next matmul wants. Key s is visible to
// query t when s ≤ past + t; padded keys (keyMask 0) get −1e9 added to their score, as attentionBias does.
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { tf, type Tensor } from '../../tf';
import { registerKernelGradient, registerWebGPUKernel, runKernel, runProgram, type Uniform } from '../program';

/** Where element (b, h, t, 0) of a [B, heads, T, D] view lives: off + b·sB + h·sH + t·sT (head dim contiguous). */
export interface Layout {
  off: number;
  sB: number;
  sH: number;
  sT: number;
}

export interface AttentionGeometry {
  B: number;
  H: number;
  Hkv: number;
  /** Queries. */
  T: number;
  /** Keys (past + T with a cache). */
  S: number;
  D: number;
  /** Absolute position of query 0. */
  past: number;
  q: Layout;
  k: Layout;
  v: Layout;
  /** Output (and its gradient dO). */
  o: Layout;
}

/** [B, heads, T, D] contiguous. */
export function headsLayout(heads: number, T: number, D: number, headOffset = 0, totalHeads = heads): Layout {
  return { off: headOffset * T * D, sB: totalHeads * T * D, sH: T * D, sT: D };
}

/** Rows [B·T, width] holding heads side by side: head h of this view at column (firstHead + h)·D. */
export function rowsLayout(T: number, D: number, width: number, firstHead = 0): Layout {
  return { off: firstHead * D, sB: T * width, sH: D, sT: width };
}

const WORKGROUP = 64;

/** q, k, v, o, dy are bound as vec4 arrays (every layout offset and stride is a multiple of D, and D of 4). */
const load4 = (array: string, p: string) => `${array}[(${p}) / 4]`;

function geometryUniforms(g: AttentionGeometry): Uniform[] {
  const i = (name: string, value: number): Uniform => ({ name, type: 'i32', value });
  const layout = (p: string, l: Layout) => [i(`${p}Off`, l.off), i(`${p}SB`, l.sB), i(`${p}SH`, l.sH), i(`${p}ST`, l.sT)];
  return [
    i('nB', g.B),
    i('nH', g.H),
    i('nHkv', g.Hkv),
    i('nT', g.T),
    i('nS', g.S),
    i('past', g.past),
    ...layout('q', g.q),
    ...layout('k', g.k),
    ...layout('v', g.v),
    ...layout('o', g.o),
    { name: 'scale', type: 'f32', value: 1 / Math.sqrt(g.D) },
  ];
}

/** WGSL shared by the three programs: mask bias, row decomposition, vec4 dot products over the head dim. */
function common(D: number, hasMask: boolean): string {
  if (D % 4 !== 0) throw new Error(`internal: fused attention needs a head dim divisible by 4, got ${D}`);
  const bias = hasMask ? '(1.0 - f32(keyMask[b * uniforms.nS + s])) * -1e9' : '0.0';
  return /* wgsl */ `
const D4: i32 = ${D / 4};
fn keyBias(b: i32, s: i32) -> f32 { return ${bias}; }
fn qBase(b: i32, h: i32, t: i32) -> i32 { return uniforms.qOff + b * uniforms.qSB + h * uniforms.qSH + t * uniforms.qST; }
fn kBase(b: i32, j: i32, s: i32) -> i32 { return uniforms.kOff + b * uniforms.kSB + j * uniforms.kSH + s * uniforms.kST; }
fn vBase(b: i32, j: i32, s: i32) -> i32 { return uniforms.vOff + b * uniforms.vSB + j * uniforms.vSH + s * uniforms.vST; }
fn oBase(b: i32, h: i32, t: i32) -> i32 { return uniforms.oOff + b * uniforms.oSB + h * uniforms.oSH + t * uniforms.oST; }
fn hsum(x: vec4<f32>) -> f32 { return x.x + x.y + x.z + x.w; }
`;
}

/**
 * Rows per invocation. On software adapters (lavapipe, SwiftShader) every storage load is gathered lane by lane and
 * costs far more than the arithmetic, so each invocation owns R consecutive query rows (or key rows in dk/dv) and
 * loads each key/value (query/dO) row once for all R of them: R× fewer loads for a few masked iterations at the
 * diagonal. Every row still sums its terms in the same order as one row per invocation, so results are unchanged.
 * R = 1 where the rows do not split evenly (decoding one token).
 */
let rowsPerBlock = 4;

/** Sets R (1 = one row per invocation, as before the blocked kernels); the bench's A/B compares them in one process. */
export function setAttentionRowsPerInvocation(rows: number): void {
  rowsPerBlock = rows;
}

function rowsPerInvocation(g: AttentionGeometry): number {
  return g.T % rowsPerBlock === 0 && g.S % rowsPerBlock === 0 ? rowsPerBlock : 1;
}

/** The WGSL of `body(r)` for r = 0 … R−1, one after the other: rows are unrolled here, so every per-row variable is its own. */
function perRow(R: number, body: (r: number) => string): string {
  return Array.from({ length: R }, (_, r) => body(r)).join('\n');
}

/**
 * WGSL opening of the per-query-block passes: leave if past the last block, find (b, h, first row t0), the key/value
 * head j, the scaled queries qv<r> of rows t0 + r read from the storage array `source` (q, or the packed x in the
 * backward), and `last`, the last key any of the R rows sees.
 */
function queryBlock(source: string, R: number): string {
  return `  let blocks = uniforms.nT / ${R};
  if (index >= uniforms.nB * uniforms.nH * blocks) { return; }
  let t0 = (index % blocks) * ${R};
  let h = (index / blocks) % uniforms.nH;
  let b = index / (blocks * uniforms.nH);
  let j = h / (uniforms.nH / uniforms.nHkv);
${perRow(R, (r) => `  var qv${r}: array<vec4<f32>, D4>;
  let qp${r} = qBase(b, h, t0 + ${r});
  for (var i = 0; i < D4; i++) { qv${r}[i] = ${load4(source, `qp${r} + 4 * i`)} * uniforms.scale; }`)}
  let last = min(uniforms.nS - 1, uniforms.past + t0 + ${R - 1});`;
}

/**
 * Forward: one invocation per block of R query rows; a single pass over the visible keys with an online softmax per
 * row. One exp per key: of the rescale exp(m − m') and the weight exp(s − m'), one is exp(0) = 1 (m' = max(m, s)) and
 * the other exp(−|s − m|), so both come from one exp with the same values as computing both.
 */
function forwardCode(D: number, hasMask: boolean, R: number): string {
  return /* wgsl */ `${common(D, hasMask)}
fn main(index: i32) {
${queryBlock('q', R)}
${perRow(R, (r) => `  var acc${r}: array<vec4<f32>, D4>;
  var m${r} = -3.0e38;
  var l${r} = 0.0;`)}
  for (var s = 0; s <= last; s++) {
    let kp = kBase(b, j, s);
    let vp = vBase(b, j, s);
    var kk: array<vec4<f32>, D4>;
    var vv: array<vec4<f32>, D4>;
    for (var i = 0; i < D4; i++) {
      kk[i] = ${load4('k', 'kp + 4 * i')};
      vv[i] = ${load4('v', 'vp + 4 * i')};
    }
    let bias = keyBias(b, s);
${perRow(R, (r) => `    if (s <= uniforms.past + t0 + ${r}) {
      var dv = vec4<f32>(0.0);
      for (var i = 0; i < D4; i++) { dv += qv${r}[i] * kk[i]; }
      let score = hsum(dv) + bias;
      let up = score > m${r};
      let e = exp(-abs(score - m${r}));
      let corr = select(1.0, e, up);
      let p = select(e, 1.0, up);
      let mNew = max(m${r}, score);
      l${r} = l${r} * corr + p;
      for (var i = 0; i < D4; i++) { acc${r}[i] = acc${r}[i] * corr + p * vv[i]; }
      m${r} = mNew;
    }`)}
  }
${perRow(R, (r) => `  let op${r} = oBase(b, h, t0 + ${r});
  for (var i = 0; i < D4; i++) { result[op${r} / 4 + i] = acc${r}[i] * (1.0 / l${r}); }`)}
}`;
}

/** Backward pass 1, per block of R query rows: each row's log-sum-exp of its scores and Δ = dO·O, as [rows, 2]. */
function statsCode(D: number, hasMask: boolean, R: number): string {
  return /* wgsl */ `${common(D, hasMask)}
fn main(index: i32) {
${queryBlock('x', R)}
${perRow(R, (r) => `  var m${r} = -3.0e38;
  var l${r} = 0.0;`)}
  for (var s = 0; s <= last; s++) {
    let kp = kBase(b, j, s);
    var kk: array<vec4<f32>, D4>;
    for (var i = 0; i < D4; i++) { kk[i] = ${load4('x', 'kp + 4 * i')}; }
    let bias = keyBias(b, s);
${perRow(R, (r) => `    if (s <= uniforms.past + t0 + ${r}) {
      var dv = vec4<f32>(0.0);
      for (var i = 0; i < D4; i++) { dv += qv${r}[i] * kk[i]; }
      let score = hsum(dv) + bias;
      let up = score > m${r};
      let e = exp(-abs(score - m${r}));
      l${r} = l${r} * select(1.0, e, up) + select(e, 1.0, up);
      m${r} = max(m${r}, score);
    }`)}
  }
${perRow(R, (r) => `  {
    let op = oBase(b, h, t0 + ${r});
    var delta = vec4<f32>(0.0);
    for (var i = 0; i < D4; i++) { delta += ${load4('o', 'op + 4 * i')} * ${load4('dy', 'op + 4 * i')}; }
    let row = index * ${R} + ${r};
    result[2 * row] = m${r} + log(l${r});
    result[2 * row + 1] = hsum(delta);
  }`)}
}`;
}

/**
 * Backward pass 2 over the packed input x (q, k, v all views of it), writing dx in x's layout: the first
 * B·H·T / R invocations each own R query rows' dq; the next B·Hkv·S / R each own R key rows' dk and dv (summed
 * over the query heads that share them), so no two invocations write the same element and no atomics are needed.
 */
function gradCode(D: number, hasMask: boolean, R: number): string {
  return /* wgsl */ `${common(D, hasMask)}
fn store(p: i32, x: vec4<f32>) { result[p / 4] = x; }
fn main(index: i32) {
  let qBlocks = uniforms.nB * uniforms.nH * (uniforms.nT / ${R});
  let group = uniforms.nH / uniforms.nHkv;
  if (index < qBlocks) {
    let blocks = uniforms.nT / ${R};
    let t0 = (index % blocks) * ${R};
    let h = (index / blocks) % uniforms.nH;
    let b = index / (blocks * uniforms.nH);
    let j = h / group;
${perRow(R, (r) => `    var qv${r}: array<vec4<f32>, D4>;
    var g${r}: array<vec4<f32>, D4>;
    var dq${r}: array<vec4<f32>, D4>;
    let qp${r} = qBase(b, h, t0 + ${r});
    let op${r} = oBase(b, h, t0 + ${r});
    for (var i = 0; i < D4; i++) {
      qv${r}[i] = ${load4('x', `qp${r} + 4 * i`)} * uniforms.scale;
      g${r}[i] = ${load4('dy', `op${r} + 4 * i`)};
    }
    let lse${r} = stats[2 * (index * ${R} + ${r})];
    let delta${r} = stats[2 * (index * ${R} + ${r}) + 1];`)}
    let last = min(uniforms.nS - 1, uniforms.past + t0 + ${R - 1});
    for (var s = 0; s <= last; s++) {
      let kp = kBase(b, j, s);
      let vp = vBase(b, j, s);
      var kk: array<vec4<f32>, D4>;
      var vv: array<vec4<f32>, D4>;
      for (var i = 0; i < D4; i++) {
        kk[i] = ${load4('x', 'kp + 4 * i')};
        vv[i] = ${load4('x', 'vp + 4 * i')};
      }
      let bias = keyBias(b, s);
${perRow(R, (r) => `      if (s <= uniforms.past + t0 + ${r}) {
        var sv = vec4<f32>(0.0);
        var dpv = vec4<f32>(0.0);
        for (var i = 0; i < D4; i++) {
          sv += qv${r}[i] * kk[i];
          dpv += g${r}[i] * vv[i];
        }
        let p = exp(hsum(sv) + bias - lse${r});
        let ds = p * (hsum(dpv) - delta${r});
        for (var i = 0; i < D4; i++) { dq${r}[i] += ds * kk[i]; }
      }`)}
    }
${perRow(R, (r) => `    for (var i = 0; i < D4; i++) { store(qp${r} + 4 * i, dq${r}[i] * uniforms.scale); }`)}
    return;
  }
  let kBlocks = uniforms.nS / ${R};
  let idx = index - qBlocks;
  if (idx >= uniforms.nB * uniforms.nHkv * kBlocks) { return; }
  let s0 = (idx % kBlocks) * ${R};
  let j = (idx / kBlocks) % uniforms.nHkv;
  let b = idx / (kBlocks * uniforms.nHkv);
${perRow(R, (r) => `  var kv${r}: array<vec4<f32>, D4>;
  var vv${r}: array<vec4<f32>, D4>;
  var dk${r}: array<vec4<f32>, D4>;
  var dv${r}: array<vec4<f32>, D4>;
  let kp${r} = kBase(b, j, s0 + ${r});
  let vp${r} = vBase(b, j, s0 + ${r});
  for (var i = 0; i < D4; i++) {
    kv${r}[i] = ${load4('x', `kp${r} + 4 * i`)} * uniforms.scale;
    vv${r}[i] = ${load4('x', `vp${r} + 4 * i`)};
  }
  let bias${r} = keyBias(b, s0 + ${r});`)}
  for (var u = 0; u < group; u++) {
    let h = j * group + u;
    for (var t = max(0, s0 - uniforms.past); t < uniforms.nT; t++) {
      let row = (b * uniforms.nH + h) * uniforms.nT + t;
      let qp = qBase(b, h, t);
      let op = oBase(b, h, t);
      var qq: array<vec4<f32>, D4>;
      var gg: array<vec4<f32>, D4>;
      for (var i = 0; i < D4; i++) {
        qq[i] = ${load4('x', 'qp + 4 * i')};
        gg[i] = ${load4('dy', 'op + 4 * i')};
      }
      let lse = stats[2 * row];
      let delta = stats[2 * row + 1];
${perRow(R, (r) => `      if (s0 + ${r} <= uniforms.past + t) {
        var sv = vec4<f32>(0.0);
        var dpv = vec4<f32>(0.0);
        for (var i = 0; i < D4; i++) {
          sv += kv${r}[i] * qq[i];
          dpv += vv${r}[i] * gg[i];
        }
        let p = exp(hsum(sv) + bias${r} - lse);
        let ds = p * (hsum(dpv) - delta);
        for (var i = 0; i < D4; i++) {
          dv${r}[i] += p * gg[i];
          dk${r}[i] += ds * qq[i];
        }
      }`)}
    }
  }
${perRow(R, (r) => `  for (var i = 0; i < D4; i++) {
    store(kp${r} + 4 * i, dk${r}[i] * uniforms.scale);
    store(vp${r} + 4 * i, dv${r}[i]);
  }`)}
}`;
}

interface AttentionAttrs {
  geometry: AttentionGeometry;
  hasMask: boolean;
  outShape: number[];
}

type Infos = Record<string, tf.TensorInfo>;

/** Kernel names: a masked variant has the extra keyMask input (tfjs binds exactly the inputs a kernel is given). */
const name = (base: string, hasMask: boolean) => `TuneLabAttention${base}${hasMask ? 'Masked' : ''}`;

/** The mask binding last, when there is one. */
function withMask(names: string[], hasMask: boolean): string[] {
  return hasMask ? [...names, 'keyMask'] : names;
}

function program(backend: WebGPUBackend, a: AttentionAttrs, kind: 'fwd' | 'stats' | 'grad', inputs: tf.TensorInfo[], names: string[]): tf.TensorInfo {
  const g = a.geometry;
  const rows = g.B * g.H * g.T;
  const R = rowsPerInvocation(g);
  const shapes = { fwd: a.outShape, stats: [rows * 2], grad: inputs[0].shape };
  const code = { fwd: forwardCode, stats: statsCode, grad: gradCode }[kind](g.D, a.hasMask, R);
  return runProgram(
    backend,
    {
      name: `attention_${kind}`,
      key: `d${g.D}${a.hasMask ? 'm' : ''}r${R}`,
      outputShape: shapes[kind],
      inputs: withMask(names, a.hasMask),
      uniforms: geometryUniforms(g),
      threads: (kind === 'grad' ? rows + g.B * g.Hkv * g.S : rows) / R,
      workgroupSize: WORKGROUP,
      code,
      // Stats and the mask stay scalar; the rest are vec4.
      components: names.map((n) => (n === 'stats' ? 1 : 4)).concat(a.hasMask ? [1] : []),
      outputComponent: kind === 'stats' ? 1 : 4,
    },
    inputs,
  );
}

function packedGrad(x: Tensor, out: Tensor, dy: Tensor, mask: Tensor | null, a: AttentionAttrs): Tensor {
  const attrs = a as unknown as Record<string, unknown>;
  const m: Record<string, Tensor> = mask ? { keyMask: mask } : {};
  const stats = runKernel(name('Stats', a.hasMask), { x, o: out, dy, ...m }, attrs);
  const dx = runKernel(name('Grad', a.hasMask), { x, dy, stats, ...m }, attrs);
  stats.dispose();
  return dx;
}

/** Heads layout of x = concat([q, k, v], 1) [B, H+2Hkv, T, D]: one backward pass then writes all three gradients. */
function concatenatedHeads(a: AttentionAttrs): AttentionAttrs {
  const g = a.geometry;
  const total = g.H + 2 * g.Hkv;
  return {
    ...a,
    geometry: { ...g, q: headsLayout(g.H, g.T, g.D, 0, total), k: headsLayout(g.Hkv, g.T, g.D, g.H, total), v: headsLayout(g.Hkv, g.T, g.D, g.H + g.Hkv, total) },
  };
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  for (const hasMask of [false, true]) {
    const mask = (inputs: Infos) => (hasMask ? [inputs.keyMask] : []);
    const attrsOf = (attrs: Record<string, unknown>) => attrs as unknown as AttentionAttrs;
    registerWebGPUKernel(name('Heads', hasMask), (inputs, attrs, backend) =>
      program(backend, attrsOf(attrs), 'fwd', [inputs.q, inputs.k, inputs.v, ...mask(inputs)], ['q', 'k', 'v']),
    );
    // Forward only, any layouts (q from packed rows, k/v from cache rows): no gradient is registered for it.
    registerWebGPUKernel(name('Cached', hasMask), (inputs, attrs, backend) =>
      program(backend, attrsOf(attrs), 'fwd', [inputs.q, inputs.kv, inputs.kv, ...mask(inputs)], ['q', 'k', 'v']),
    );
    registerWebGPUKernel(name('Packed', hasMask), (inputs, attrs, backend) =>
      program(backend, attrsOf(attrs), 'fwd', [inputs.qkv, inputs.qkv, inputs.qkv, ...mask(inputs)], ['q', 'k', 'v']),
    );
    registerWebGPUKernel(name('Stats', hasMask), (inputs, attrs, backend) =>
      program(backend, attrsOf(attrs), 'stats', [inputs.x, inputs.o, inputs.dy, ...mask(inputs)], ['x', 'o', 'dy']),
    );
    registerWebGPUKernel(name('Grad', hasMask), (inputs, attrs, backend) =>
      program(backend, attrsOf(attrs), 'grad', [inputs.x, inputs.dy, inputs.stats, ...mask(inputs)], ['x', 'dy', 'stats']),
    );
    const maskGrad = (saved: Tensor[]): Record<string, () => Tensor> => (hasMask ? { keyMask: () => tf.zerosLike(saved[0]) } : {});
    registerKernelGradient({
      kernelName: name('Packed', hasMask),
      inputsToSave: hasMask ? ['qkv', 'keyMask'] : ['qkv'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const qkv = saved[0];
        const out = saved[saved.length - 1];
        const mask = hasMask ? saved[1] : null;
        return { qkv: () => packedGrad(qkv, out, dy as Tensor, mask, attrsOf(attrs as Record<string, unknown>)), ...maskGrad(saved.slice(1)) };
      },
    });
    registerKernelGradient({
      kernelName: name('Heads', hasMask),
      inputsToSave: hasMask ? ['q', 'k', 'v', 'keyMask'] : ['q', 'k', 'v'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [q, k, v] = saved;
        const out = saved[saved.length - 1];
        const mask = hasMask ? saved[3] : null;
        const a = attrsOf(attrs as Record<string, unknown>);
        const g = a.geometry;
        // No cache (S = T): causal (past 0) or bidirectional (past T, every key visible); the passes read the mask s ≤ past + t alike.
        if (g.S !== g.T) throw new Error('internal: fused attention has no gradient through a KV cache');
        // Computed here, not in the thunks: tfjs runs each thunk in its own tidy, which would free the other parts.
        const [dq, dk, dv] = tf.split(packedGrad(tf.concat([q, k, v], 1), out, dy as Tensor, mask, concatenatedHeads(a)), [g.H, g.Hkv, g.Hkv], 1);
        return { q: () => dq, k: () => dk, v: () => dv, ...maskGrad(saved.slice(3)) };
      },
    });
  }
}

/**
 * Causal attention on GPT-2's packed projection qkv [B·T, (H + 2·Hkv)·D] (q heads, then k heads, then v heads),
 * no cache → [B·T, H·D] (heads merged). Gradient: dqkv in the same packed layout, in two dispatches.
 */
export function fusedAttentionPacked(qkv: Tensor, dims: { B: number; T: number; H: number; Hkv: number; D: number }, keyMask: Tensor | null): Tensor {
  register();
  const { B, T, H, Hkv, D } = dims;
  const width = (H + 2 * Hkv) * D;
  const geometry: AttentionGeometry = {
    B, H, Hkv, T, S: T, D, past: 0,
    q: rowsLayout(T, D, width, 0),
    k: rowsLayout(T, D, width, H),
    v: rowsLayout(T, D, width, H + Hkv),
    o: rowsLayout(T, D, H * D),
  };
  const attrs: AttentionAttrs = { geometry, hasMask: keyMask !== null, outShape: [B * T, H * D] };
  return runKernel(name('Packed', keyMask !== null), keyMask ? { qkv, keyMask } : { qkv }, attrs as unknown as Record<string, unknown>);
}

/**
 * Causal attention on q [B, H, T, D] and k, v [B, Hkv, S, D] (S = past + T; a KV cache when past > 0, where decoding
 * is one query row per head against the cache) → [B, H, T, D]. Gradient only without a cache (training).
 */
export function fusedAttentionHeads(q: Tensor, k: Tensor, v: Tensor, past: number, keyMask: Tensor | null): Tensor {
  register();
  const [B, H, T, D] = q.shape;
  const [, Hkv, S] = k.shape;
  const geometry: AttentionGeometry = {
    B, H, Hkv, T, S, D, past,
    q: headsLayout(H, T, D),
    k: headsLayout(Hkv, S, D),
    v: headsLayout(Hkv, S, D),
    o: headsLayout(H, T, D),
  };
  const attrs: AttentionAttrs = { geometry, hasMask: keyMask !== null, outShape: [B, H, T, D] };
  return runKernel(name('Heads', keyMask !== null), keyMask ? { q, k, v, keyMask } : { q, k, v }, attrs as unknown as Record<string, unknown>);
}

/**
 * Bidirectional (encoder) attention on q, k, v [B, H, T, D] → [B, H, T, D]: the causal kernels with past = T, so the
 * mask s ≤ past + t never hides a key; padded keys (keyMask [B, T], 1 real / 0 padding) get −1e9. Gradient to q, k, v
 * in the same two dispatches as the causal pass.
 */
export function fusedEncoderAttention(q: Tensor, k: Tensor, v: Tensor, keyMask: Tensor | null): Tensor {
  return fusedAttentionHeads(q, k, v, q.shape[2] as number, keyMask);
}

/**
 * Decoding with a packed cache: queries from qkv [B·T, 3·H·D] (GPT-2's c_attn output), keys and values from cache rows
 * [B, S, 2·H·D] (fusedAppendKvRows; the last T rows are this call's) → [B·T, H·D] with heads merged. Forward only.
 */
export function fusedAttentionCachedRows(qkv: Tensor, rows: Tensor, dims: { B: number; T: number; H: number; D: number }, keyMask: Tensor | null): Tensor {
  register();
  const { B, T, H, D } = dims;
  const S = rows.shape[1] as number;
  const geometry: AttentionGeometry = {
    B, H, Hkv: H, T, S, D, past: S - T,
    q: rowsLayout(T, D, 3 * H * D, 0),
    k: { off: 0, sB: S * 2 * H * D, sH: D, sT: 2 * H * D },
    v: { off: H * D, sB: S * 2 * H * D, sH: D, sT: 2 * H * D },
    o: rowsLayout(T, D, H * D),
  };
  const attrs: AttentionAttrs = { geometry, hasMask: keyMask !== null, outShape: [B * T, H * D] };
  return runKernel(name('Cached', keyMask !== null), keyMask ? { q: qkv, kv: rows, keyMask } : { q: qkv, kv: rows }, attrs as unknown as Record<string, unknown>);
}
