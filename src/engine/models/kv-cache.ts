// Per-layer key/value cache for incremental decoding: keys/values [B, Hkv, S, D] (or, fused, packed rows [B, S, 2C]) grow along S.
import { appendKvRows, exposureFastPaths } from '../backend/ops';
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
  /**
   * Tree-level mode (shared-prefix caches, one-token levels, the fused tree kernel): per layer, each level's c_attn
   * output qkv [N_j, 3C] as fed (level j = the j-th position after the prefix), never copied per row; which row of
   * level j each row of this cache descends from is `levelRows[j]` (null: this cache's own rows, in order). A branch
   * (gatherRows) then costs an index remap on the host instead of copying every row's keys/values, and attention
   * reads ancestors through the indices (tree-attention.ts). Anything else (a multi-token step, the stock path, another
   * model family) first turns the levels into ordinary keys/values (materialize).
   */
  private levels: Tensor[][] = [];
  private levelRows: (Int32Array | null)[] = [];
  private levelIndex: (Tensor | null)[] = [];
  /** Rows of this cache in tree-level mode (its own caches' batch size otherwise). */
  private treeRowCount = 1;
  private heads = 0;

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
    out.heads = heads;
    if (exposureFastPaths()) out.levels = Array.from({ length: this.layers }, () => []);
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

  /** Whether this cache is in tree-level mode (see `levels`): a shared-prefix cache nothing has materialised yet. */
  get treeLevels(): boolean {
    return this.levels.length > 0;
  }

  /** Tree-level mode: one layer's ancestor levels (qkv [N_j, 3C]) and each's row index (int32 [rows]) for this cache's rows. */
  ancestors(layer: number): { qkv: Tensor; rows: Tensor }[] {
    return this.levels[layer].map((qkv, j) => ({ qkv, rows: this.indexOf(j) }));
  }

  /** Tree-level mode: this call's qkv [rows, 3C] (one token per row) becomes the layer's next level; the rows are its own. */
  appendLevel(layer: number, qkv: Tensor): void {
    const B = qkv.shape[0] as number;
    if (B !== this.treeRowCount) throw new Error(`internal: appendLevel of ${B} rows to a cache of ${this.treeRowCount}`);
    if (this.levelRows.length === this.levels[layer].length) this.levelRows.push(null);
    this.levels[layer].push(tf.keep(qkv.clone()));
  }

  private indexOf(j: number): Tensor {
    let t = this.levelIndex[j];
    if (!t) {
      const rows = this.levelRows[j] ?? Int32Array.from({ length: this.treeRowCount }, (_, i) => i);
      t = tf.keep(tf.tensor1d(rows, 'int32'));
      this.levelIndex[j] = t;
    }
    return t;
  }

  /** Tree-level mode → ordinary keys/values [rows, H, L, D] per layer (each row's ancestors gathered, then concatenated). */
  private materialize(): void {
    if (!this.treeLevels) return;
    for (let l = 0; l < this.layers; l++) {
      const levels = this.levels[l];
      if (levels.length) {
        const [k, v] = tf.tidy(() => {
          const C = (levels[0].shape[1] as number) / 3;
          const B = this.treeRowCount;
          const D = C / this.heads;
          const parts = levels.map((qkv, j) => (this.levelRows[j] ? tf.gather(qkv, this.indexOf(j), 0) : qkv)); // each [B, 3C]
          const col = (offset: number) => tf.concat(parts.map((x) => tf.reshape(tf.slice(x, [0, offset], [B, C]), [B, this.heads, 1, D])), 2); // [B, H, L, D]
          return [tf.keep(col(C)), tf.keep(col(2 * C))];
        });
        this.keys[l] = k;
        this.values[l] = v;
      }
      tf.dispose(levels);
    }
    this.disposeLevelIndex();
    this.levels = [];
    this.levelRows = [];
  }

  private disposeLevelIndex(): void {
    tf.dispose(this.levelIndex.filter((t): t is Tensor => t != null));
    this.levelIndex = [];
  }

  /**
   * A new cache of rows `parents` of this one (as gather), for the prefix tree: in tree-level mode only the host-side
   * row indices are remapped (levels are shared, nothing is copied); otherwise a gather.
   */
  gatherRows(parents: Int32Array): KvCache {
    if (!this.treeLevels) {
      const idx = tf.tensor1d(parents, 'int32');
      try {
        return this.gather(idx);
      } finally {
        idx.dispose();
      }
    }
    const out = new KvCache(this.layers);
    out.length = this.length;
    out.sharedLength = this.sharedLength;
    out.heads = this.heads;
    out.treeRowCount = parents.length;
    out.levels = this.levels.map((ls) => ls.map((t) => tf.keep(t.clone()))); // clones share the data
    out.levelRows = this.levelRows.map((rows) => Int32Array.from(parents, (p) => (rows ? rows[p] : p)));
    for (let l = 0; l < this.layers; l++) {
      const shared = this.shared[l];
      out.shared[l] = shared ? { k: tf.keep(tf.clone(shared.k)), v: tf.keep(tf.clone(shared.v)) } : null;
    }
    return out;
  }

  /** Fused path: appends the k/v columns of qkv [B·T, 3C] for one layer; returns the rows [B, length+T, 2C]. */
  appendPackedRows(layer: number, qkv: Tensor, B: number, T: number, C: number): Tensor {
    this.materialize();
    const old = this.rows[layer];
    const full = tf.keep(appendKvRows(old, qkv, B, T, C));
    old?.dispose();
    this.rows[layer] = full;
    return full;
  }

  /** Appends this call's k/v [B, Hkv, T, D] for one layer and returns the full k/v [B, Hkv, length+T, D]. */
  append(layer: number, k: Tensor, v: Tensor): { k: Tensor; v: Tensor } {
    this.materialize();
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
    this.materialize();
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
    for (const ls of this.levels) tf.dispose(ls);
    this.disposeLevelIndex();
    this.levels = [];
    this.levelRows = [];
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
