// Checks the fused attention kernels (packed, per-head with GQA and padding, KV-cache decode) against the float64 reference.
import { tf, type Tensor } from '../../tf';
import { attentionBackwardRef, attentionForwardRef, type AttentionRefInput } from './attention-reference';
import { fusedAttentionCachedRows, fusedAttentionHeads, fusedAttentionPacked, fusedEncoderAttention } from './attention';
import { fusedAppendKvRows } from './kv-cache-append';
import { relativeError, seeded, take, vjp, type KernelCheck } from '../check-harness';

/** [B·T, (H+2Hkv)·D] packed rows → q [B, H, T, D], k/v [B, Hkv, T, D]. */
function unpack(qkv: Float32Array, B: number, T: number, H: number, Hkv: number, D: number): { q: Float32Array; k: Float32Array; v: Float32Array } {
  const W = (H + 2 * Hkv) * D;
  const q = new Float32Array(B * H * T * D);
  const k = new Float32Array(B * Hkv * T * D);
  const v = new Float32Array(B * Hkv * T * D);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = (b * T + t) * W;
      for (let h = 0; h < H; h++) for (let d = 0; d < D; d++) q[((b * H + h) * T + t) * D + d] = qkv[row + h * D + d];
      for (let j = 0; j < Hkv; j++) {
        for (let d = 0; d < D; d++) {
          k[((b * Hkv + j) * T + t) * D + d] = qkv[row + (H + j) * D + d];
          v[((b * Hkv + j) * T + t) * D + d] = qkv[row + (H + Hkv + j) * D + d];
        }
      }
    }
  }
  return { q, k, v };
}

/** Inverse of unpack, for gradients. */
function pack(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, B: number, T: number, H: number, Hkv: number, D: number): Float64Array {
  const W = (H + 2 * Hkv) * D;
  const out = new Float64Array(B * T * W);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = (b * T + t) * W;
      for (let h = 0; h < H; h++) for (let d = 0; d < D; d++) out[row + h * D + d] = q[((b * H + h) * T + t) * D + d];
      for (let j = 0; j < Hkv; j++) {
        for (let d = 0; d < D; d++) {
          out[row + (H + j) * D + d] = k[((b * Hkv + j) * T + t) * D + d];
          out[row + (H + Hkv + j) * D + d] = v[((b * Hkv + j) * T + t) * D + d];
        }
      }
    }
  }
  return out;
}

/** [B, H, T, D] → [B·T, H·D] (merged heads). */
function mergeHeads(x: ArrayLike<number>, B: number, H: number, T: number, D: number): Float64Array {
  const out = new Float64Array(B * T * H * D);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) out[(b * T + t) * H * D + h * D + d] = x[((b * H + h) * T + t) * D + d];
  return out;
}

/** Left padding: batch b has its first `pad[b]` keys masked. */
function leftPadMask(B: number, S: number, pad: number[]): Float32Array {
  const m = new Float32Array(B * S).fill(1);
  for (let b = 0; b < B; b++) for (let s = 0; s < pad[b]; s++) m[b * S + s] = 0;
  return m;
}

async function checkPacked(B: number, T: number, H: number, Hkv: number, D: number, pad: number[] | null): Promise<KernelCheck[]> {
  const label = `attention packed B${B} T${T} H${H}/${Hkv} D${D}${pad ? ' padded' : ''}`;
  const W = (H + 2 * Hkv) * D;
  const qkvData = seeded(B * T * W, 1 + T + D, 1.5);
  const dyData = seeded(B * T * H * D, 2 + T);
  const maskData = pad ? leftPadMask(B, T, pad) : null;
  // Padded query rows see only padded keys: their output is garbage by design and never used (no loss, no gradient),
  // so dy is zero there and only real rows are compared.
  if (maskData) for (let i = 0; i < dyData.length; i++) if (maskData[Math.floor(i / (H * D))] === 0) dyData[i] = 0;
  const { q, k, v } = unpack(qkvData, B, T, H, Hkv, D);
  const ref: AttentionRefInput = { B, H, Hkv, T, S: T, D, past: 0, q, k, v, keyMask: maskData };
  const qkv = tf.tensor2d(qkvData, [B * T, W]);
  const dy = tf.tensor2d(dyData, [B * T, H * D]);
  const mask = maskData ? tf.tensor2d(maskData, [B, T]) : null;
  try {
    const { value, grads } = await vjp((x: Tensor) => fusedAttentionPacked(x, { B, T, H, Hkv, D }, mask), [qkv], dy);
    const realRows = (data: ArrayLike<number>) => Array.from(data).filter((_, i) => !maskData || maskData[Math.floor(i / (H * D))] === 1);
    const want = mergeHeads(attentionForwardRef(ref), B, H, T, D);
    const dO = new Float64Array(B * H * T * D);
    for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) for (let d = 0; d < D; d++) dO[((b * H + h) * T + t) * D + d] = dyData[(b * T + t) * H * D + h * D + d];
    const back = attentionBackwardRef(ref, dO);
    return [
      { what: `${label}: output`, error: relativeError(realRows(value), realRows(want)) },
      { what: `${label}: dqkv`, error: relativeError(grads[0], pack(back.dq, back.dk, back.dv, B, T, H, Hkv, D)) },
    ];
  } finally {
    tf.dispose([qkv, dy, ...(mask ? [mask] : [])]);
  }
}

async function checkHeads(B: number, H: number, Hkv: number, T: number, past: number, D: number, pad: number[] | null): Promise<KernelCheck[]> {
  const S = past + T;
  const label = `attention heads B${B} H${H}/${Hkv} T${T} S${S} D${D}${pad ? ' padded' : ''}`;
  const qData = seeded(B * H * T * D, 11 + D, 1.2);
  const kData = seeded(B * Hkv * S * D, 12 + S, 1.2);
  const vData = seeded(B * Hkv * S * D, 13 + T);
  const maskData = pad ? leftPadMask(B, S, pad) : null;
  const ref: AttentionRefInput = { B, H, Hkv, T, S, D, past, q: qData, k: kData, v: vData, keyMask: maskData };
  const q = tf.tensor4d(qData, [B, H, T, D]);
  const k = tf.tensor4d(kData, [B, Hkv, S, D]);
  const v = tf.tensor4d(vData, [B, Hkv, S, D]);
  const mask = maskData ? tf.tensor2d(maskData, [B, S]) : null;
  // Compare query rows that see at least one real key (the others are garbage by design).
  const rowReal = (i: number) => {
    if (!maskData) return true;
    const row = Math.floor(i / D);
    const t = row % T;
    const b = Math.floor(row / (T * H));
    return maskData[b * S + past + t] === 1;
  };
  const real = (data: ArrayLike<number>) => Array.from(data).filter((_, i) => rowReal(i));
  try {
    const checks: KernelCheck[] = [];
    const want = attentionForwardRef(ref);
    if (past > 0) {
      const got = await take(tf.tidy(() => fusedAttentionHeads(q, k, v, past, mask)));
      checks.push({ what: `${label} (KV cache, past ${past}): output`, error: relativeError(real(got), real(want)) });
      return checks;
    }
    const dyData = seeded(B * H * T * D, 14);
    for (let i = 0; i < dyData.length; i++) if (!rowReal(i)) dyData[i] = 0;
    const dy = tf.tensor4d(dyData, [B, H, T, D]);
    const { value, grads } = await vjp((a: Tensor, b: Tensor, c: Tensor) => fusedAttentionHeads(a, b, c, 0, mask), [q, k, v], dy);
    dy.dispose();
    const back = attentionBackwardRef(ref, dyData);
    checks.push({ what: `${label}: output`, error: relativeError(real(value), real(want)) });
    checks.push({ what: `${label}: dq`, error: relativeError(grads[0], back.dq) });
    checks.push({ what: `${label}: dk`, error: relativeError(grads[1], back.dk) });
    checks.push({ what: `${label}: dv`, error: relativeError(grads[2], back.dv) });
    return checks;
  } finally {
    tf.dispose([q, k, v, ...(mask ? [mask] : [])]);
  }
}

/** Right padding: batch b has its last `pad[b]` keys masked (an encoder batch). */
function rightPadMask(B: number, S: number, pad: number[]): Float32Array {
  const m = new Float32Array(B * S).fill(1);
  for (let b = 0; b < B; b++) for (let s = S - pad[b]; s < S; s++) m[b * S + s] = 0;
  return m;
}

/** Bidirectional (encoder) attention, right-padded keys: output and dq, dk, dv against the reference with every key visible. */
async function checkEncoder(B: number, H: number, T: number, D: number, pad: number[] | null): Promise<KernelCheck[]> {
  const label = `attention encoder (bidirectional) B${B} H${H} T${T} D${D}${pad ? ' right-padded' : ''}`;
  const qData = seeded(B * H * T * D, 31 + D, 1.2);
  const kData = seeded(B * H * T * D, 32 + T, 1.2);
  const vData = seeded(B * H * T * D, 33 + T);
  const maskData = pad ? rightPadMask(B, T, pad) : null;
  // past = T − 1 makes the reference's causal cut s > past + t empty: every key visible, as in BERT.
  const ref: AttentionRefInput = { B, H, Hkv: H, T, S: T, D, past: T - 1, q: qData, k: kData, v: vData, keyMask: maskData };
  const q = tf.tensor4d(qData, [B, H, T, D]);
  const k = tf.tensor4d(kData, [B, H, T, D]);
  const v = tf.tensor4d(vData, [B, H, T, D]);
  const mask = maskData ? tf.tensor2d(maskData, [B, T]) : null;
  const dyData = seeded(B * H * T * D, 34);
  const dy = tf.tensor4d(dyData, [B, H, T, D]);
  try {
    const { value, grads } = await vjp((a: Tensor, b: Tensor, c: Tensor) => fusedEncoderAttention(a, b, c, mask), [q, k, v], dy);
    const back = attentionBackwardRef(ref, dyData);
    return [
      { what: `${label}: output`, error: relativeError(value, attentionForwardRef(ref)) },
      { what: `${label}: dq`, error: relativeError(grads[0], back.dq) },
      { what: `${label}: dk`, error: relativeError(grads[1], back.dk) },
      { what: `${label}: dv`, error: relativeError(grads[2], back.dv) },
    ];
  } finally {
    tf.dispose([q, k, v, dy, ...(mask ? [mask] : [])]);
  }
}

/**
 * Decoding with the packed cache: a prefill of `past` tokens then `T` more, each appended to cache rows [B, S, 2C]
 * (fusedAppendKvRows) and attended from qkv's queries; checked against the reference on the whole k/v.
 */
async function checkCachedRows(B: number, past: number, T: number, H: number, D: number, pad: number[] | null): Promise<KernelCheck[]> {
  const S = past + T;
  const C = H * D;
  const label = `attention KV cache rows B${B} past ${past} T${T} H${H} D${D}${pad ? ' padded' : ''}`;
  const prefill = seeded(B * past * 3 * C, 21 + past, 1.3); // [B·past, 3C]
  const step = seeded(B * T * 3 * C, 22 + T, 1.3); // [B·T, 3C]
  const maskData = pad ? leftPadMask(B, S, pad) : null;
  // Reference inputs: k/v over all S positions, q for the last T.
  const all = new Float32Array(B * S * 3 * C);
  for (let b = 0; b < B; b++) {
    all.set(prefill.subarray(b * past * 3 * C, (b + 1) * past * 3 * C), b * S * 3 * C);
    all.set(step.subarray(b * T * 3 * C, (b + 1) * T * 3 * C), (b * S + past) * 3 * C);
  }
  const full = unpack(all, B, S, H, H, D);
  const q = unpack(step, B, T, H, H, D).q;
  const want = mergeHeads(attentionForwardRef({ B, H, Hkv: H, T, S, D, past, q, k: full.k, v: full.v, keyMask: maskData }), B, H, T, D);
  const got = await take(
    tf.tidy(() => {
      const mask = maskData ? tf.tensor2d(maskData, [B, S]) : null;
      const qkvStep = tf.tensor2d(step, [B * T, 3 * C]);
      const rows0 = fusedAppendKvRows(null, tf.tensor2d(prefill, [B * past, 3 * C]), B, past, C); // [B, past, 2C]
      const rows = fusedAppendKvRows(rows0, qkvStep, B, T, C); // [B, S, 2C]
      return fusedAttentionCachedRows(qkvStep, rows, { B, T, H, D }, mask);
    }),
  );
  const realRow = (i: number) => !maskData || maskData[Math.floor(i / C / T) * S + past + (Math.floor(i / C) % T)] === 1;
  const real = (data: ArrayLike<number>) => Array.from(data).filter((_, i) => realRow(i));
  return [{ what: `${label}: output`, error: relativeError(real(got), real(want)) }];
}

export async function attentionChecks(): Promise<KernelCheck[]> {
  return [
    ...(await checkPacked(2, 13, 3, 3, 16, null)),
    ...(await checkPacked(1, 37, 2, 2, 64, null)),
    ...(await checkPacked(3, 9, 2, 2, 32, [0, 3, 8])),
    ...(await checkHeads(2, 4, 2, 7, 0, 32, null)),
    ...(await checkHeads(2, 4, 1, 11, 0, 16, [2, 0])),
    ...(await checkHeads(1, 4, 2, 1, 20, 64, null)),
    ...(await checkHeads(2, 2, 2, 3, 6, 16, [1, 4])),
    ...(await checkCachedRows(1, 16, 1, 4, 32, null)),
    ...(await checkCachedRows(2, 5, 3, 2, 16, [0, 2])),
    // T (and S) a multiple of 4: the blocked path, each invocation owning 4 query (or key) rows.
    ...(await checkPacked(2, 16, 3, 3, 16, null)),
    ...(await checkPacked(3, 12, 2, 2, 32, [0, 5, 11])),
    ...(await checkHeads(2, 4, 2, 8, 0, 32, null)),
    ...(await checkHeads(2, 4, 1, 12, 0, 16, [3, 0])),
    ...(await checkHeads(2, 4, 2, 4, 8, 16, [1, 6])),
    ...(await checkCachedRows(2, 8, 4, 2, 16, [0, 3])),
    // Bidirectional (BERT): every key visible, right padding; one odd T (one row per invocation), one blocked.
    ...(await checkEncoder(2, 3, 9, 16, [0, 4])),
    ...(await checkEncoder(3, 2, 12, 32, [5, 0, 11])),
  ];
}
