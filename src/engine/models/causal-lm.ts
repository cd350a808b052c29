// CausalLM: owns a model's weights as tfjs variables under HF names and runs its forward pass.
import { tf, type Tensor, type Variable } from '../backend/tf';
import { attentionBias } from '../backend/ops';
import { variableFrom } from '../backend/variables';
import { ShapeMismatchError } from '../errors';
import { Rng } from '../rng';
import type { LoraAdapter } from '../lora/adapter';
import type { ModelConfig, NamedArray, WeightMap } from './config';
import { modelDims, type ModelDims } from './dims';
import type { ForwardContext } from './forward-context';
import { gpt2Forward } from './gpt2';
import type { KvCache } from './kv-cache';
import { llamaForward } from './llama';
import { linearModules, paramSpecs, type LinearModuleSpec, type ParamSpec } from './params';
import { rotaryTables } from './rotary';

export interface ForwardOptions {
  lora?: LoraAdapter | null;
  cache?: KvCache | null;
  /** [B, S] over all keys, 1 real / 0 padding; only needed with left padding. */
  keyMask?: Tensor | null;
  /** Present only in training: draws LoRA dropout seeds. */
  dropoutSeed?: (() => number) | null;
  /** Only the last position's logits (decoding). */
  lastOnly?: boolean;
}

export class CausalLM {
  readonly dims: ModelDims;
  readonly linearModules: LinearModuleSpec[];
  private readonly linears: Map<string, LinearModuleSpec>;
  private disposed = false;

  constructor(
    readonly config: ModelConfig,
    private readonly variables: Map<string, Variable>,
  ) {
    this.dims = modelDims(config);
    this.linearModules = linearModules(this.dims);
    this.linears = new Map(this.linearModules.map((m) => [m.module, m]));
  }

  get numParams(): number {
    let n = 0;
    for (const v of this.variables.values()) n += v.size;
    return n;
  }

  /** Weights by HF name, in the model's canonical order. */
  namedVariables(): [string, Variable][] {
    return [...this.variables.entries()];
  }

  /** One weight by HF name (merge/unmerge writes into it). */
  variable(name: string): Variable {
    const v = this.variables.get(name);
    if (!v) throw new ShapeMismatchError(`The model has no weight "${name}".`, 'Check the tensor name.');
    return v;
  }

  /** ids int32 [B, T] → logits [B, T, V] ([B, 1, V] with lastOnly). Appends to options.cache when given. */
  forward(ids: Tensor, options: ForwardOptions = {}): Tensor {
    if (this.disposed) throw new Error('This model was disposed; load it again.');
    const cache = options.cache ?? null;
    const pastLength = cache ? cache.length : 0;
    const T = ids.shape[1] as number;
    if (pastLength + T > this.dims.maxPositions) {
      throw new ShapeMismatchError(`Sequence of ${pastLength + T} tokens exceeds the model's context of ${this.dims.maxPositions}.`, 'Shorten the input or lower max tokens.');
    }
    const logits = tf.tidy(() => {
      const ctx: ForwardContext = {
        dims: this.dims,
        params: this.variables,
        linears: this.linears,
        lora: options.lora ?? null,
        dropoutSeed: options.dropoutSeed ?? null,
        cache,
        pastLength,
        attentionBias: attentionBias(T, pastLength + T, pastLength, options.keyMask ?? null),
        keyMask: options.keyMask ?? null,
        lastOnly: options.lastOnly ?? false,
      };
      if (this.dims.family === 'gpt2') return gpt2Forward(ctx, ids);
      const { cos, sin } = rotaryTables(pastLength, T, this.dims.headDim, this.dims.ropeTheta);
      return llamaForward(ctx, ids, cos, sin);
    });
    if (cache) cache.length += T;
    return logits;
  }

  /** Convenience: ids row-major [batch, seq] → logits tensor [batch, seq, V]; the caller disposes it. */
  logits(ids: Int32Array, batch: number, seq: number, lora?: LoraAdapter | null): Tensor {
    if (ids.length !== batch * seq) throw new ShapeMismatchError(`ids has ${ids.length} entries, expected batch·seq = ${batch * seq}.`, 'Pass row-major ids of shape [batch, seq].');
    const idsTensor = tf.tensor2d(ids, [batch, seq], 'int32');
    try {
      return this.forward(idsTensor, { lora });
    } finally {
      idsTensor.dispose();
    }
  }

  /** A copy of every weight under its HF name. */
  exportWeights(): WeightMap {
    const out: WeightMap = new Map();
    for (const [name, v] of this.variables) out.set(name, { shape: [...v.shape], data: v.dataSync() as Float32Array });
    return out;
  }

  /** Overwrites some or all weights (by HF name) in place, checking shapes. */
  assignWeights(weights: WeightMap): void {
    for (const [name, w] of weights) {
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
export function createModel(config: ModelConfig, init: WeightMap | { seed: number }): CausalLM {
  const dims = modelDims(config);
  const specs = paramSpecs(dims);
  const variables = new Map<string, Variable>();
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
      variables.set(spec.name, variableFrom(data, spec.shape));
    }
  } catch (e) {
    for (const v of variables.values()) v.dispose();
    throw e;
  }
  return new CausalLM(config, variables);
}
