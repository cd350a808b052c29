// Per-layer key/value cache for incremental decoding: keys/values [B, Hkv, S, D] (or, fused, packed rows [B, S, 2C]) grow along S.
import { appendKvRows } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';

export class KvCache {
  private keys: (Tensor | null)[];
  private values: (Tensor | null)[];
  /** The fused path's per-layer cache rows [B, S, 2·C] (k heads then v heads), instead of keys/values. */
  private rows: (Tensor | null)[];
  /**
   * Shared-prefix mode (sharePrefix): per layer the prefix's keys/values [H, P, D], fed once for every row and
   * attended before each row's own positions in keys/values; null otherwise.
   */
  private shared: ({ k: Tensor; v: Tensor } | null)[];
  /** Number of positions already cached (the absolute position of the next token). */
  length = 0;
  /** Positions held once for all rows in shared-prefix mode (0 otherwise); the rows' own caches hold length − this. */
  sharedLength = 0;

  constructor(readonly layers: number) {
    this.keys = new Array<Tensor | null>(layers).fill(null);
    this.values = new Array<Tensor | null>(layers).fill(null);
    this.rows = new Array<Tensor | null>(layers).fill(null);
    this.shared = new Array<{ k: Tensor; v: Tensor } | null>(layers).fill(null);
  }

  /**
   * A new cache in shared-prefix mode whose prefix is this one-row cache's positions (heads × headDim = C): rows
   * branched off it by gather() then hold only their own positions, and attention reads the prefix once for all
   * (shared-prefix-attention.ts). This cache is left as it was.
   */
  sharePrefix(heads: number): KvCache {
    const out = new KvCache(this.layers);
    out.length = this.length;
    out.sharedLength = this.length;
    for (let l = 0; l < this.layers; l++) {
      const rows = this.rows[l];
      const keys = this.keys[l];
      const values = this.values[l];
      out.shared[l] = tf.tidy(() => {
        if (rows) {
          const [B, P, C2] = rows.shape as number[];
          if (B !== 1) throw new Error(`internal: sharePrefix needs a one-row cache, got ${B} rows`);
          const kv = tf.transpose(tf.reshape(rows, [P, 2, heads, C2 / 2 / heads]), [1, 2, 0, 3]); // [2, H, P, D]
          const [k, v] = tf.unstack(kv, 0);
          return { k: tf.keep(k), v: tf.keep(v) };
        }
        if (!keys || !values || keys.shape[0] !== 1) throw new Error('internal: sharePrefix needs a filled one-row cache');
        const [, H, P, D] = keys.shape as number[];
        return { k: tf.keep(tf.reshape(keys, [H, P, D])), v: tf.keep(tf.reshape(values, [H, P, D])) };
      });
    }
    return out;
  }

  /** The shared prefix's keys/values [H, P, D] of one layer in shared-prefix mode, else null. */
  sharedPrefix(layer: number): { k: Tensor; v: Tensor } | null {
    return this.shared[layer];
  }

  /** Fused path: appends the k/v columns of qkv [B·T, 3C] for one layer; returns the rows [B, length+T, 2C]. */
  appendPackedRows(layer: number, qkv: Tensor, B: number, T: number, C: number): Tensor {
    const old = this.rows[layer];
    const full = tf.keep(appendKvRows(old, qkv, B, T, C));
    old?.dispose();
    this.rows[layer] = full;
    return full;
  }

  /** Appends this call's k/v [B, Hkv, T, D] for one layer and returns the full k/v [B, Hkv, length+T, D]. */
  append(layer: number, k: Tensor, v: Tensor): { k: Tensor; v: Tensor } {
    const oldK = this.keys[layer];
    const oldV = this.values[layer];
    const fullK = tf.keep(oldK ? tf.concat([oldK, k], 2) : k.clone());
    const fullV = tf.keep(oldV ? tf.concat([oldV, v], 2) : v.clone());
    oldK?.dispose();
    oldV?.dispose();
    this.keys[layer] = fullK;
    this.values[layer] = fullV;
    return { k: fullK, v: fullV };
  }

  /**
   * A new cache holding rows `indices` (int32 [N]) of this one along the batch axis, so many continuations branch off
   * shared prefixes (exposure's prefix tree) without feeding the prefixes again. This cache is left as it was.
   */
  gather(indices: Tensor): KvCache {
    const out = new KvCache(this.layers);
    out.length = this.length;
    out.sharedLength = this.sharedLength;
    const pick = (t: Tensor | null) => (t ? tf.keep(tf.gather(t, indices, 0)) : null);
    for (let l = 0; l < this.layers; l++) {
      out.keys[l] = pick(this.keys[l]);
      out.values[l] = pick(this.values[l]);
      out.rows[l] = pick(this.rows[l]);
      const shared = this.shared[l];
      out.shared[l] = shared ? { k: tf.keep(tf.clone(shared.k)), v: tf.keep(tf.clone(shared.v)) } : null; // clones share the data
    }
    return out;
  }

  dispose(): void {
    for (const t of [...this.keys, ...this.values, ...this.rows]) t?.dispose();
    for (const s of this.shared) tf.dispose(s ? [s.k, s.v] : []);
    this.keys.fill(null);
    this.values.fill(null);
    this.rows.fill(null);
    this.shared.fill(null);
    this.length = 0;
    this.sharedLength = 0;
  }
}
