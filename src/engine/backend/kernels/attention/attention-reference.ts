// Plain float64 loops for causal attention forward and backward: what the WGSL attention kernels are checked against.

export interface AttentionRefInput {
  B: number;
  H: number;
  Hkv: number;
  T: number;
  S: number;
  D: number;
  past: number;
  /** [B, H, T, D] */
  q: ArrayLike<number>;
  /** [B, Hkv, S, D] */
  k: ArrayLike<number>;
  v: ArrayLike<number>;
  /** [B, S], 1 real / 0 padding; null = all real. */
  keyMask: ArrayLike<number> | null;
}

/** Softmax probabilities P [B, H, T, S] with the engine's additive mask: −1e9 on keys after past + t and on padding. */
function probabilities(x: AttentionRefInput): Float64Array {
  const { B, H, Hkv, T, S, D, past, q, k, keyMask } = x;
  const group = H / Hkv;
  const scale = 1 / Math.sqrt(D);
  const P = new Float64Array(B * H * T * S);
  const row = new Float64Array(S);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const j = Math.floor(h / group);
      for (let t = 0; t < T; t++) {
        let max = -Infinity;
        for (let s = 0; s < S; s++) {
          let dot = 0;
          for (let d = 0; d < D; d++) dot += q[((b * H + h) * T + t) * D + d] * k[((b * Hkv + j) * S + s) * D + d];
          let bias = s > past + t ? -1e9 : 0;
          if (keyMask) bias += (1 - keyMask[b * S + s]) * -1e9;
          row[s] = dot * scale + bias;
          max = Math.max(max, row[s]);
        }
        let sum = 0;
        for (let s = 0; s < S; s++) sum += (row[s] = Math.exp(row[s] - max));
        for (let s = 0; s < S; s++) P[((b * H + h) * T + t) * S + s] = row[s] / sum;
      }
    }
  }
  return P;
}

/** O = softmax(q·kᵀ/√D + mask)·v → [B, H, T, D]. */
export function attentionForwardRef(x: AttentionRefInput): Float64Array {
  const { B, H, Hkv, T, S, D, v } = x;
  const group = H / Hkv;
  const P = probabilities(x);
  const out = new Float64Array(B * H * T * D);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const j = Math.floor(h / group);
      for (let t = 0; t < T; t++) {
        for (let s = 0; s < S; s++) {
          const p = P[((b * H + h) * T + t) * S + s];
          for (let d = 0; d < D; d++) out[((b * H + h) * T + t) * D + d] += p * v[((b * Hkv + j) * S + s) * D + d];
        }
      }
    }
  }
  return out;
}

/** Gradients of Σ O·dO with respect to q [B, H, T, D], k and v [B, Hkv, S, D]. */
export function attentionBackwardRef(x: AttentionRefInput, dO: ArrayLike<number>): { dq: Float64Array; dk: Float64Array; dv: Float64Array } {
  const { B, H, Hkv, T, S, D, q, k, v } = x;
  const group = H / Hkv;
  const scale = 1 / Math.sqrt(D);
  const P = probabilities(x);
  const dq = new Float64Array(q.length);
  const dk = new Float64Array(k.length);
  const dv = new Float64Array(v.length);
  const dP = new Float64Array(S);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const j = Math.floor(h / group);
      for (let t = 0; t < T; t++) {
        const qi = ((b * H + h) * T + t) * D;
        let rowDot = 0; // Σ_s P·dP
        for (let s = 0; s < S; s++) {
          const vi = ((b * Hkv + j) * S + s) * D;
          let acc = 0;
          for (let d = 0; d < D; d++) acc += dO[qi + d] * v[vi + d];
          dP[s] = acc;
          rowDot += P[((b * H + h) * T + t) * S + s] * acc;
        }
        for (let s = 0; s < S; s++) {
          const p = P[((b * H + h) * T + t) * S + s];
          const dS = p * (dP[s] - rowDot) * scale;
          const ki = ((b * Hkv + j) * S + s) * D;
          for (let d = 0; d < D; d++) {
            dq[qi + d] += dS * k[ki + d];
            dk[ki + d] += dS * q[qi + d];
            dv[ki + d] += p * dO[qi + d];
          }
        }
      }
    }
  }
  return { dq, dk, dv };
}
