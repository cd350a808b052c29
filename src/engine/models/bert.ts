// BertModel: owns a BERT encoder's weights as tfjs variables under HF names and runs it to the last hidden state.
import { embeddingLookup, encoderAttention, geluErf, keyPaddingBias, layerNorm, loraLinear } from '../backend/ops';
import { tf, type Tensor, type Variable } from '../backend/tf';
import { variableFrom } from '../backend/variables';
import { ShapeMismatchError } from '../errors';
import { WeightOwner } from './weight-owner';
import { Rng } from '../rng';
import { bertDims, bertLinearModules, bertParamSpecs, type BertConfig, type BertDims } from './bert-config';
import type { NamedArray, WeightMap } from './config';
import { mergeHeads, splitHeads, type LoraBranches } from './forward-context';
import type { LinearModuleSpec, ParamSpec } from './params';

export interface BertForwardOptions {
  /** [B, T] int32 segment ids (0 for a single text, 1 for the second of a pair); all 0 when absent. */
  tokenTypeIds?: Tensor | null;
  lora?: LoraBranches | null;
  /** Present only in training: draws LoRA dropout seeds. */
  dropoutSeed?: (() => number) | null;
}

export class BertModel extends WeightOwner {
  readonly dims: BertDims;
  readonly linearModules: LinearModuleSpec[];
  private readonly linears: Map<string, LinearModuleSpec>;
  private disposed = false;

  constructor(
    readonly config: BertConfig,
    /** Every weight by HF name without the "bert." prefix (embeddings.…, encoder.layer.N.…). */
    variables: Map<string, Variable>,
  ) {
    super(variables);
    this.dims = bertDims(config);
    this.linearModules = bertLinearModules(this.dims);
    this.linears = new Map(this.linearModules.map((m) => [m.module, m]));
  }

  /**
   * ids, mask int32 [B, T] (right padding; mask 1 real, 0 padding) → last hidden state [B, T, H], as HF BertModel's
   * last_hidden_state. Padded positions are computed too (they attend to the real keys) and are what BertModel gives.
   */
  forward(ids: Tensor, mask: Tensor, options: BertForwardOptions = {}): Tensor {
    if (this.disposed) throw new Error('This model was disposed; load it again.');
    const [B, T] = ids.shape as [number, number];
    const d = this.dims;
    if (T > d.maxPositions) throw new ShapeMismatchError(`Sequence of ${T} tokens exceeds the encoder's ${d.maxPositions} positions.`, 'Cut the texts to max_seq_length (the embedder does this when it tokenizes).');
    if (mask.shape.join(',') !== ids.shape.join(',')) throw new ShapeMismatchError(`mask [${mask.shape}] does not match ids [${ids.shape}].`, 'Pass one mask entry per token.');
    const lora = options.lora ?? null;
    const seed = options.dropoutSeed ?? null;
    const lin = (module: string, x: Tensor, residual: Tensor | null = null): Tensor => {
      const spec = this.linears.get(module) as LinearModuleSpec;
      const branch = lora ? lora.branch(module, seed) : null;
      return loraLinear(x, this.p(`${module}.weight`), this.p(`${module}.bias`), branch, spec.layout, residual); // [N, out]
    };
    return tf.tidy(() => {
      const words = embeddingLookup(this.p('embeddings.word_embeddings.weight'), tf.reshape(ids, [-1])); // [B·T, H]
      const positions = embeddingLookup(this.p('embeddings.position_embeddings.weight'), tf.range(0, T, 1, 'int32')); // [T, H]
      const typeTable = this.p('embeddings.token_type_embeddings.weight');
      const types = options.tokenTypeIds
        ? tf.reshape(embeddingLookup(typeTable, tf.reshape(options.tokenTypeIds, [-1])), [B, T, d.hidden])
        : tf.reshape(tf.slice(typeTable, [0, 0], [1, d.hidden]), [1, 1, d.hidden]);
      const summed = tf.add(tf.add(tf.reshape(words, [B, T, d.hidden]), tf.reshape(positions, [1, T, d.hidden])), types); // [B, T, H]
      let x = layerNorm(tf.reshape(summed, [B * T, d.hidden]), this.p('embeddings.LayerNorm.weight'), this.p('embeddings.LayerNorm.bias'), d.normEps); // [B·T, H]
      const bias = keyPaddingBias(mask); // [B, 1, 1, T]
      for (let i = 0; i < d.layers; i++) {
        const p = `encoder.layer.${i}`;
        const heads = (t: Tensor) => splitHeads(t, B, T, d.heads, d.headDim); // [B·T, H] → [B, heads, T, D]
        const q = heads(lin(`${p}.attention.self.query`, x));
        const k = heads(lin(`${p}.attention.self.key`, x));
        const v = heads(lin(`${p}.attention.self.value`, x));
        const context = mergeHeads(encoderAttention(q, k, v, bias, mask)); // [B·T, H]
        // Post-norm: LayerNorm(x + dense(attention)), then LayerNorm(a + output(GELU(intermediate(a)))).
        const a = layerNorm(lin(`${p}.attention.output.dense`, context, x), this.p(`${p}.attention.output.LayerNorm.weight`), this.p(`${p}.attention.output.LayerNorm.bias`), d.normEps);
        const h = geluErf(lin(`${p}.intermediate.dense`, a)); // [B·T, I]
        x = layerNorm(lin(`${p}.output.dense`, h, a), this.p(`${p}.output.LayerNorm.weight`), this.p(`${p}.output.LayerNorm.bias`), d.normEps);
      }
      return tf.reshape(x, [B, T, d.hidden]);
    });
  }

  private p(name: string): Tensor {
    const v = this.variables.get(name);
    if (!v) throw new Error(`internal: missing BERT parameter ${name}`);
    return v;
  }

  /** A copy of every weight under its HF name (no "bert." prefix); synchronous, for CPU backends. */
  exportWeights(): WeightMap {
    const out: WeightMap = new Map();
    for (const [name, v] of this.variables) out.set(name, { shape: [...v.shape], data: v.dataSync() as Float32Array });
    return out;
  }

  /** exportWeights, read asynchronously: on WebGPU a synchronous read of a GPU-resident tensor is unreliable. */
  async readWeights(): Promise<WeightMap> {
    const out: WeightMap = new Map();
    for (const [name, v] of this.variables) out.set(name, { shape: [...v.shape], data: (await v.data()) as Float32Array });
    return out;
  }

  /** Overwrites some or all weights (by HF name, "bert." prefix accepted) in place, checking shapes. */
  assignWeights(weights: WeightMap): void {
    for (const [given, w] of weights) {
      const name = given.startsWith('bert.') ? given.slice('bert.'.length) : given;
      const v = this.variables.get(name);
      if (!v) throw new ShapeMismatchError(`The encoder has no weight "${given}".`, 'The weights belong to a different architecture.');
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
    throw new ShapeMismatchError(`Weight "${name}" has shape [${w.shape.join(', ')}] but the config needs [${shape.join(', ')}].`, 'Check that config.json belongs to these weights.');
  }
  if (w.data.length !== shape.reduce((a, b) => a * b, 1)) throw new ShapeMismatchError(`Weight "${name}" holds ${w.data.length} values for shape [${shape}].`, 'The weight file is corrupt.');
}

function initialValue(spec: ParamSpec, rng: Rng): Float32Array {
  const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
  if (spec.init.kind === 'ones') data.fill(1);
  else if (spec.init.kind === 'normal') for (let i = 0; i < data.length; i++) data[i] = rng.normal() * spec.init.std;
  return data;
}

/**
 * Builds a BERT encoder from HF-named weights (BertModel's own names, or BertForMaskedLM-style names under "bert.";
 * the pooler, the MLM head and position_ids buffers are ignored), or from a seed with HF's initialisation.
 */
export function createBertModel(config: BertConfig, init: WeightMap | { seed: number }): BertModel {
  const dims = bertDims(config);
  const variables = new Map<string, Variable>();
  try {
    const rng = init instanceof Map ? null : new Rng(init.seed);
    for (const spec of bertParamSpecs(dims)) {
      let data: Float32Array;
      if (init instanceof Map) {
        const w = init.get(spec.name) ?? init.get(`bert.${spec.name}`);
        if (!w) throw new ShapeMismatchError(`The weights have no tensor "${spec.name}" (nor "bert.${spec.name}").`, 'Check that the weight file is a BERT checkpoint matching config.json.');
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
  return new BertModel(config, variables);
}
