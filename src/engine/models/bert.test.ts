// BertModel against the float64 PyTorch reference: last hidden state with padding, token types, LoRA (branch and merged), refusals.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { tf } from '../backend/tf';
import { UnsupportedArchitectureError } from '../errors';
import { LoraAdapter } from '../lora/adapter';
import { mergeLora, unmergeLora } from '../lora/merge';
import { scaledError } from '../train/golden-check';
import { createBertModel } from './bert';
import { bertDims, type BertConfig } from './bert-config';
import { bertGolden as golden, tinyBertConfig, tinyBertWeights, weightMapOf } from './testing/bert-fixture';

beforeAll(async () => {
  await initBackend('cpu');
});

const ids = () => tf.tensor2d(golden.ids.flat(), [golden.ids.length, golden.ids[0].length], 'int32');
const mask = () => tf.tensor2d(golden.mask.flat(), [golden.mask.length, golden.mask[0].length], 'int32');

function hiddenOf(model: ReturnType<typeof createBertModel>, lora: LoraAdapter | null = null): Float32Array {
  const i = ids();
  const m = mask();
  const h = model.forward(i, m, { lora });
  expect(h.shape).toEqual([golden.ids.length, golden.ids[0].length, model.dims.hidden]);
  const out = h.dataSync() as Float32Array;
  tf.dispose([i, m, h]);
  return out;
}

describe('BertModel', () => {
  it('gives the reference last hidden state for a right-padded batch (scaled error ≤ 1e-4)', () => {
    const model = createBertModel(tinyBertConfig(), tinyBertWeights());
    const before = tf.memory().numTensors;
    expect(scaledError(hiddenOf(model), golden.base.hidden)).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('reads weights saved under "bert." (BertForMaskedLM-style names) the same way', () => {
    const prefixed = new Map([...tinyBertWeights()].map(([n, w]) => [`bert.${n}`, w]));
    const model = createBertModel(tinyBertConfig(), prefixed);
    expect(scaledError(hiddenOf(model), golden.base.hidden)).toBeLessThan(1e-4);
    model.dispose();
  });

  it('adds the token-type embedding of a sentence pair', () => {
    const model = createBertModel(tinyBertConfig(), tinyBertWeights());
    const i = tf.tensor2d(golden.pair.ids.flat(), [1, golden.pair.ids[0].length], 'int32');
    const types = tf.tensor2d(golden.pair.tokenTypeIds.flat(), [1, golden.pair.ids[0].length], 'int32');
    const m = tf.onesLike(i);
    const h = model.forward(i, m, { tokenTypeIds: types });
    expect(scaledError(h.dataSync(), golden.pair.hidden)).toBeLessThan(1e-4);
    const noTypes = model.forward(i, m);
    expect(scaledError(noTypes.dataSync(), golden.pair.hidden)).toBeGreaterThan(1e-2); // the type table matters here
    tf.dispose([i, types, m, h, noTypes]);
    model.dispose();
  });

  it('with a PEFT LoRA adapter on query/key/value/dense matches the reference, as a branch and merged', () => {
    const model = createBertModel(tinyBertConfig(), tinyBertWeights());
    const { weights, ...config } = golden.adapter;
    const adapter = LoraAdapter.fromWeights(model.linearModules, config, weightMapOf(weights));
    expect(adapter.modules.size).toBe(6 * model.dims.layers); // all six linears of every block
    const base = hiddenOf(model);
    expect(scaledError(hiddenOf(model, adapter), golden.withLora.hidden)).toBeLessThan(1e-4);
    expect(scaledError(base, golden.withLora.hidden)).toBeGreaterThan(1e-2);
    mergeLora(model, adapter);
    expect(scaledError(hiddenOf(model, adapter), golden.withLora.hidden)).toBeLessThan(1e-4);
    unmergeLora(model, adapter);
    expect(scaledError(hiddenOf(model), golden.base.hidden)).toBeLessThan(1e-4);
    adapter.dispose();
    model.dispose();
  });

  it('ignores the pooler and refuses missing or misshapen weights by name', () => {
    const weights = tinyBertWeights();
    expect(weights.has('pooler.dense.weight')).toBe(true);
    weights.delete('encoder.layer.1.output.dense.weight');
    expect(() => createBertModel(tinyBertConfig(), weights)).toThrow(/encoder\.layer\.1\.output\.dense\.weight/);
    const small = { ...tinyBertConfig(), intermediate_size: 8 };
    expect(() => createBertModel(small, tinyBertWeights())).toThrow(/intermediate\.dense\.weight.*\[32, 16\].*\[8, 16\]/);
  });
});

describe('bertDims refusals', () => {
  const base = tinyBertConfig();
  const refuse = (patch: Record<string, unknown>, pattern: RegExp) => {
    const error = (() => {
      try {
        bertDims({ ...base, ...patch } as BertConfig);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(UnsupportedArchitectureError);
    expect((error as Error).message).toMatch(pattern);
  };
  it('names relative position embeddings, other activations and decoders', () => {
    refuse({ position_embedding_type: 'relative_key_query' }, /position_embedding_type "relative_key_query"/);
    refuse({ hidden_act: 'gelu_new' }, /hidden_act "gelu_new"/);
    refuse({ is_decoder: true }, /decoder/);
  });
  it('names RoBERTa, XLM-R, ModernBERT and other encoders as not supported yet', () => {
    refuse({ model_type: 'roberta' }, /RoBERTa .*not run as an encoder yet/);
    refuse({ model_type: 'xlm-roberta' }, /XLM-RoBERTa/);
    refuse({ model_type: 'modernbert' }, /ModernBERT/);
    refuse({ model_type: 'mpnet' }, /MPNet/);
    refuse({ model_type: 'gpt2' }, /model_type "gpt2" is not a BERT encoder/);
  });
});
