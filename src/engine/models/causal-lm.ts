// CausalLM: owns a model's weights as tfjs variables under HF names and runs its forward pass.
import { tf, type Tensor, type Variable } from '../backend/tf';
import { disposeWeight, type HalfWeight } from '../backend/kernels/lora-linear/half-weight';
import { attentionBias } from '../backend/ops';
import { bufferLimitBytes } from '../backend/buffer-limit';
import { variableFrom } from '../backend/variables';
import { GpuMemoryError, ShapeMismatchError } from '../errors';
import { WeightOwner } from './weight-owner';
import { Rng } from '../rng';
import type { ModelConfig, NamedArray, WeightMap } from './config';
import { modelDims, type ModelDims } from './dims';
import type { ForwardContext, LoraBranches } from './forward-context';
import { gemma3Forward } from './gemma3';
import { gpt2Forward } from './gpt2';
import type { KvCache } from './kv-cache';
import { llamaForward } from './llama';
import { linearModules, paramSpecs, type LinearModuleSpec, type ParamSpec } from './params';
import { rotaryTables } from './rotary';
import { chunkedProjection, rowChunkSizes } from './row-chunks';

/** Tables that may be split by rows when they exceed one GPU buffer: token embeddings and the output head. */
const SPLITTABLE = new Set(['transformer.wte.weight', 'model.embed_tokens.weight', 'lm_head.weight']);

/** A table kept as row chunks: the chunks' variable names (`${name}#rows${start}`) and row counts, in order. */
export interface SplitTable {
  name: string;
  shape: number[];
  chunks: { name: string; rows: number }[];
}

export interface CreateModelOptions {
  /** Largest bytes one weight may take on the GPU; default: the running device's limit (Infinity off WebGPU). */
  maxBufferBytes?: number;
}

export interface ForwardOptions {
  lora?: LoraBranches | null;
  cache?: KvCache | null;
  /** [B, S] over all keys, 1 real / 0 padding; only needed with left padding. */
  keyMask?: Tensor | null;
  /** Present only in training: draws LoRA dropout seeds. */
  dropoutSeed?: (() => number) | null;
  /** Only the last position's logits (decoding). */
  lastOnly?: boolean;
  /** Training only: recompute each block in the backward pass; the tensors being trained (gradients flow to these). */
  checkpoint?: ReadonlySet<Tensor> | null;
}

export class CausalLM extends WeightOwner {
  readonly dims: ModelDims;
  readonly linearModules: LinearModuleSpec[];
  private readonly linears: Map<string, LinearModuleSpec>;
  /** Linear weights (HF names) read from these stand-ins instead of the variables: the f16 base of a LoRA run. */
  private frozenLinearWeights = new Map<string, Tensor | HalfWeight>();
  private disposed = false;

  /** Tables split into row chunks because they exceed the GPU's largest buffer; empty when none was. */
  readonly splitTables: Map<string, SplitTable>;

  constructor(
    readonly config: ModelConfig,
    /** Every weight by HF name; a split table appears as its chunks' names instead. */
    variables: Map<string, Variable>,
    splitTables: SplitTable[] = [],
  ) {
    super(variables);
    this.dims = modelDims(config);
    this.linearModules = linearModules(this.dims);
    this.linears = new Map(this.linearModules.map((m) => [m.module, m]));
    this.splitTables = new Map(splitTables.map((t) => [t.name, t]));
  }

  /** A [rows, C] table as its row chunks in order: one tensor unless it was split. */
  table(name: string): Tensor[] {
    const split = this.splitTables.get(name);
    if (!split) return [this.variable(name)];
    return split.chunks.map((c) => this.variable(c.name));
  }

  /** The output head [V, C] as row chunks: GPT-2's wte, the tied embedding, or lm_head. */
  headTable(): Tensor[] {
    if (this.dims.family === 'gpt2') return this.table('transformer.wte.weight');
    return this.table(this.dims.tiedEmbeddings ? 'model.embed_tokens.weight' : 'lm_head.weight');
  }

  /** ids int32 [B, T] → logits [B, T, V] ([B, 1, V] with lastOnly). Appends to options.cache when given. */
  forward(ids: Tensor, options: ForwardOptions = {}): Tensor {
    const [B, T] = ids.shape as [number, number];
    // hidden [B·T, C] or [B, C] → [B, T or 1, V]
    return tf.tidy(() => tf.reshape(chunkedProjection(this.hidden(ids, options), this.headTable()), [B, options.lastOnly ? 1 : T, this.dims.vocabSize]));
  }

  /**
   * ids int32 [B, T] → the final hidden states [B·T, C] ([B, C] with lastOnly), normalised, before the output head:
   * the training loss projects them onto the vocabulary in row chunks (head-loss.ts). Appends to options.cache.
   */
  hidden(ids: Tensor, options: ForwardOptions = {}): Tensor {
    if (this.disposed) throw new Error('This model was disposed; load it again.');
    const cache = options.cache ?? null;
    const pastLength = cache ? cache.length : 0;
    const T = ids.shape[1] as number;
    if (pastLength + T > this.dims.maxPositions) {
      throw new ShapeMismatchError(`Sequence of ${pastLength + T} tokens exceeds the model's context of ${this.dims.maxPositions}.`, 'Shorten the input or lower max tokens.');
    }
    const hidden = tf.tidy(() => {
      const ctx: ForwardContext = {
        dims: this.dims,
        params: this.variables,
        table: (name) => this.table(name),
        linears: this.linears,
        frozenLinearWeights: this.frozenLinearWeights,
        lora: options.lora ?? null,
        dropoutSeed: options.dropoutSeed ?? null,
        cache,
        pastLength,
        attentionBias: attentionBias(T, pastLength + T, pastLength, options.keyMask ?? null),
        keyMask: options.keyMask ?? null,
        lastOnly: options.lastOnly ?? false,
        checkpoint: options.checkpoint ?? null,
      };
      if (this.dims.family === 'gpt2') return gpt2Forward(ctx, ids);
      if (this.dims.family === 'gemma3') return gemma3Forward(ctx, ids);
      const { cos, sin } = rotaryTables(pastLength, T, this.dims.headDim, this.dims.ropeTheta);
      return llamaForward(ctx, ids, cos, sin);
    });
    if (cache) cache.length += T;
    return hidden;
  }

  /** Convenience: ids row-major [batch, seq] → logits tensor [batch, seq, V]; the caller disposes it. */
  logits(ids: Int32Array, batch: number, seq: number, lora?: LoraBranches | null): Tensor {
    if (ids.length !== batch * seq) throw new ShapeMismatchError(`ids has ${ids.length} entries, expected batch·seq = ${batch * seq}.`, 'Pass row-major ids of shape [batch, seq].');
    const idsTensor = tf.tensor2d(ids, [batch, seq], 'int32');
    try {
      return this.forward(idsTensor, { lora });
    } finally {
      idsTensor.dispose();
    }
  }

  /** A copy of every weight under its HF name (split tables joined back into one); synchronous, for CPU backends. */
  exportWeights(): WeightMap {
    return this.collectWeights((v) => v.dataSync() as Float32Array);
  }

  /** exportWeights, read asynchronously: on WebGPU a synchronous read of a GPU-resident tensor is unreliable. */
  async readWeights(): Promise<WeightMap> {
    const values = new Map<string, Float32Array>();
    for (const [name, v] of this.variables) values.set(name, (await v.data()) as Float32Array);
    return this.collectWeights((v, name) => values.get(name) as Float32Array);
  }

  private collectWeights(read: (v: Variable, name: string) => Float32Array): WeightMap {
    const out: WeightMap = new Map();
    const chunkOf = new Map<string, SplitTable>();
    for (const t of this.splitTables.values()) for (const c of t.chunks) chunkOf.set(c.name, t);
    for (const [name, v] of this.variables) {
      const split = chunkOf.get(name);
      if (!split) out.set(name, { shape: [...v.shape], data: read(v, name) });
      else if (name === split.chunks[0].name) out.set(split.name, { shape: [...split.shape], data: joinChunks(split, (n) => read(this.variable(n), n)) });
    }
    return out;
  }

  /**
   * Makes the linear layers read these stand-ins (same logical shape and layout, e.g. the weight rounded to f16)
   * instead of their variables, until replaced; the model disposes the previous ones. An empty map restores f32.
   */
  setFrozenLinearWeights(weights: Map<string, Tensor | HalfWeight>): void {
    for (const [name, w] of weights) {
      const v = this.variable(name);
      const shape = w.shape;
      if (!this.linears.has(name.replace(/\.weight$/, '')) || shape.join(',') !== v.shape.join(',')) {
        throw new ShapeMismatchError(`internal: ${name} [${shape}] is not a linear weight of shape [${v.shape}]`, 'Report this bug.');
      }
    }
    this.disposeFrozen();
    this.frozenLinearWeights = weights;
  }

  private disposeFrozen(names: Iterable<string> = [...this.frozenLinearWeights.keys()]): void {
    for (const name of names) {
      const w = this.frozenLinearWeights.get(name);
      if (!w) continue;
      disposeWeight(w);
      this.frozenLinearWeights.delete(name);
    }
  }

  /** Overwrites some or all weights (by HF name, or a split table's chunk names) in place, checking shapes. */
  assignWeights(weights: WeightMap): void {
    this.disposeFrozen(weights.keys()); // a stand-in of a changed weight would be stale
    for (const [name, w] of weights) {
      const split = this.splitTables.get(name);
      if (split) {
        checkShape(name, w, split.shape);
        const cols = split.shape[1];
        let row = 0;
        for (const c of split.chunks) {
          this.assignWeights(new Map([[c.name, { shape: [c.rows, cols], data: w.data.subarray(row * cols, (row + c.rows) * cols) }]]));
          row += c.rows;
        }
        continue;
      }
      const v = this.variables.get(name);
      if (!v) throw new ShapeMismatchError(`The model has no weight "${name}".`, 'The weights belong to a different architecture.');
      checkShape(name, w, v.shape);
      const value = tf.tensor(w.data, w.shape);
      v.assign(value);
      value.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposeFrozen();
    for (const v of this.variables.values()) v.dispose();
    this.disposed = true;
  }
}

function checkShape(name: string, w: NamedArray, shape: number[]): void {
  if (w.shape.join(',') !== shape.join(',')) {
    throw new ShapeMismatchError(`Weight "${name}" has shape [${w.shape}] but the config needs [${shape}].`, 'Check that config.json belongs to these weights.');
  }
  if (w.data.length !== shape.reduce((a, b) => a * b, 1)) throw new ShapeMismatchError(`Weight "${name}" holds ${w.data.length} values for shape [${shape}].`, 'The weight file is corrupt.');
}

function joinChunks(split: SplitTable, read: (name: string) => Float32Array): Float32Array {
  const cols = split.shape[1];
  const data = new Float32Array(split.shape[0] * cols);
  let row = 0;
  for (const c of split.chunks) {
    data.set(read(c.name), row * cols);
    row += c.rows;
  }
  return data;
}

function formatSize(bytes: number): string {
  return bytes < 2 ** 20 ? `${(bytes / 2 ** 10).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Refuses a weight no buffer can hold (only embedding tables can be split), before anything reaches the GPU. */
function checkBufferLimit(spec: ParamSpec, maxBytes: number): void {
  const bytes = 4 * spec.shape.reduce((a, b) => a * b, 1);
  if (bytes <= maxBytes || SPLITTABLE.has(spec.name)) return;
  throw new GpuMemoryError(
    `The weight ${spec.name} [${spec.shape.join(', ')}] needs ${formatSize(bytes)} in one GPU buffer, over this GPU's limit of ${formatSize(maxBytes)} (maxStorageBufferBindingSize / maxBufferSize). Only embedding tables can be split by rows.`,
    'Use a GPU or browser with higher WebGPU limits, or a smaller model.',
  );
}

function initialValue(spec: ParamSpec, rng: Rng): Float32Array {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  if (spec.init.kind === 'ones') data.fill(1);
  else if (spec.init.kind === 'normal') for (let i = 0; i < size; i++) data[i] = rng.normal() * spec.init.std;
  return data;
}

/** HF GPT-2 checkpoints on the Hub name tensors without the "transformer." prefix; accept both. */
function lookupWeight(weights: WeightMap, name: string): NamedArray | undefined {
  return weights.get(name) ?? (name.startsWith('transformer.') ? weights.get(name.slice('transformer.'.length)) : undefined);
}

/**
 * Builds a model from HF-named weights (extra tensors such as attn.bias buffers or a tied lm_head are ignored),
 * or from a seed with HF's initialisation.
 */
export function createModel(config: ModelConfig, init: WeightMap | { seed: number }, options: CreateModelOptions = {}): CausalLM {
  const dims = modelDims(config);
  const specs = paramSpecs(dims);
  const maxBytes = options.maxBufferBytes ?? bufferLimitBytes();
  for (const spec of specs) checkBufferLimit(spec, maxBytes);
  const variables = new Map<string, Variable>();
  const splitTables: SplitTable[] = [];
  try {
    const rng = init instanceof Map ? null : new Rng(init.seed);
    for (const spec of specs) {
      let data: Float32Array;
      if (init instanceof Map) {
        const w = lookupWeight(init, spec.name);
        if (!w) throw new ShapeMismatchError(`The weights have no tensor "${spec.name}".`, 'Check that the weight file matches config.json.');
        checkShape(spec.name, w, spec.shape);
        data = w.data;
      } else {
        data = initialValue(spec, rng as Rng);
      }
      const sizes = SPLITTABLE.has(spec.name) ? rowChunkSizes(spec.name, spec.shape[0], spec.shape[1], maxBytes) : [spec.shape[0]];
      if (sizes.length === 1) {
        variables.set(spec.name, variableFrom(data, spec.shape));
        continue;
      }
      // [V, C] → chunks [rows_k, C]: each is its own GPU buffer under the limit.
      const cols = spec.shape[1];
      const split: SplitTable = { name: spec.name, shape: spec.shape, chunks: [] };
      let row = 0;
      for (const rows of sizes) {
        const name = `${spec.name}#rows${row}`;
        variables.set(name, variableFrom(data.subarray(row * cols, (row + rows) * cols), [rows, cols]));
        split.chunks.push({ name, rows });
        row += rows;
      }
      splitTables.push(split);
    }
  } catch (e) {
    for (const v of variables.values()) v.dispose();
    throw e;
  }
  return new CausalLM(config, variables, splitTables);
}
