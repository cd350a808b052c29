// Per-layer key/value cache for incremental decoding: keys/values [B, Hkv, S, D] grow along S.
import { tf, type Tensor } from '../backend/tf';

export class KvCache {
  private keys: (Tensor | null)[];
  private values: (Tensor | null)[];
  /** Number of positions already cached (the absolute position of the next token). */
  length = 0;

  constructor(readonly layers: number) {
    this.keys = new Array<Tensor | null>(layers).fill(null);
    this.values = new Array<Tensor | null>(layers).fill(null);
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

  dispose(): void {
    for (const t of [...this.keys, ...this.values]) t?.dispose();
    this.keys.fill(null);
    this.values.fill(null);
    this.length = 0;
  }
}
