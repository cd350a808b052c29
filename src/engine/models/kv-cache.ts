// Per-layer key/value cache for incremental decoding: keys/values [B, Hkv, S, D] (or, fused, packed rows [B, S, 2C]) grow along S.
import { appendKvRows } from '../backend/ops';
import { tf, type Tensor } from '../backend/tf';

export class KvCache {
  private keys: (Tensor | null)[];
  private values: (Tensor | null)[];
  /** The fused path's per-layer cache rows [B, S, 2·C] (k heads then v heads), instead of keys/values. */
  private rows: (Tensor | null)[];
  /** Number of positions already cached (the absolute position of the next token). */
  length = 0;

  constructor(readonly layers: number) {
    this.keys = new Array<Tensor | null>(layers).fill(null);
    this.values = new Array<Tensor | null>(layers).fill(null);
    this.rows = new Array<Tensor | null>(layers).fill(null);
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
    const pick = (t: Tensor | null) => (t ? tf.keep(tf.gather(t, indices, 0)) : null);
    for (let l = 0; l < this.layers; l++) {
      out.keys[l] = pick(this.keys[l]);
      out.values[l] = pick(this.values[l]);
      out.rows[l] = pick(this.rows[l]);
    }
    return out;
  }

  dispose(): void {
    for (const t of [...this.keys, ...this.values, ...this.rows]) t?.dispose();
    this.keys.fill(null);
    this.values.fill(null);
    this.rows.fill(null);
    this.length = 0;
  }
}
