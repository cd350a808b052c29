// Model behaviour beyond the golden fixtures: padding, masks, weight loading, PEFT naming, merge/unmerge, validation.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../backend/tf';
import { initBackend } from '../backend/init';
import { AdapterMismatchError, ModelConfigError, ShapeMismatchError, UnsupportedArchitectureError } from '../errors';
import { LoraAdapter } from '../lora/adapter';
import { mergeLora, unmergeLora } from '../lora/merge';
import { createModel, type CausalLM } from './causal-lm';
import type { Gpt2Config, LlamaConfig, WeightMap } from './config';

const gpt2: Gpt2Config = { model_type: 'gpt2', vocab_size: 19, n_positions: 32, n_embd: 16, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };
const llama: LlamaConfig = {
  model_type: 'llama', vocab_size: 19, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2,
  num_attention_heads: 4, num_key_value_heads: 2, rms_norm_eps: 1e-6, max_position_embeddings: 32,
};

async function logitsOf(model: CausalLM, rows: number[][], lora: LoraAdapter | null = null, keyMask?: number[][]): Promise<Float32Array> {
  const T = rows[0].length;
  const ids = tf.tensor2d(Int32Array.from(rows.flat()), [rows.length, T], 'int32');
  const mask = keyMask ? tf.tensor2d(keyMask.flat(), [rows.length, T]) : null;
  const logits = model.forward(ids, { lora, keyMask: mask });
  const data = (await logits.data()) as Float32Array;
  tf.dispose([ids, logits, ...(mask ? [mask] : [])]);
  return data;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function liveAdapter(model: CausalLM, targets: string[]): LoraAdapter {
  const adapter = LoraAdapter.create(model.linearModules, { r: 2, lora_alpha: 4, lora_dropout: 0, target_modules: targets }, 3);
  for (const m of adapter.modules.values()) {
    const b = tf.randomNormal(m.B.shape, 0, 0.5, 'float32', 11);
    m.B.assign(b);
    b.dispose();
  }
  return adapter;
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe.each([
  ['gpt2', gpt2, ['c_attn', 'c_proj', 'c_fc']],
  ['llama', llama, ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']],
  ['qwen3', { ...llama, model_type: 'qwen3', head_dim: 8, tie_word_embeddings: true } as LlamaConfig, ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']],
] as const)('%s', (_, config, targets) => {
  it('scores a right-padded row exactly like the unpadded sequence', async () => {
    const model = createModel(config, { seed: 1 });
    const V = config.vocab_size;
    const single = await logitsOf(model, [[3, 4, 5]]);
    const batched = await logitsOf(model, [[3, 4, 5, 0, 0], [1, 2, 3, 4, 5]]);
    expect(maxDiff(batched.subarray(0, 3 * V), single)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('merging the adapter gives the logits of the unmerged branch; unmerging restores the base', async () => {
    const model = createModel(config, { seed: 2 });
    const adapter = liveAdapter(model, [...targets]);
    const rows = [[1, 7, 3, 9, 2]];
    const base = await logitsOf(model, rows);
    const withBranch = await logitsOf(model, rows, adapter);
    expect(maxDiff(base, withBranch)).toBeGreaterThan(1e-2);
    mergeLora(model, adapter);
    expect(maxDiff(await logitsOf(model, rows, adapter), withBranch)).toBeLessThan(1e-4);
    expect(maxDiff(await logitsOf(model, rows), withBranch)).toBeLessThan(1e-4);
    unmergeLora(model, adapter);
    expect(maxDiff(await logitsOf(model, rows), base)).toBeLessThan(1e-4);
    adapter.dispose();
    model.dispose();
  });

  it('a fresh PEFT adapter (B = 0) leaves the logits unchanged and round-trips by PEFT name', async () => {
    const model = createModel(config, { seed: 3 });
    const adapter = LoraAdapter.create(model.linearModules, { r: 4, lora_alpha: 8, lora_dropout: 0, target_modules: [...targets] }, 5);
    const rows = [[2, 4, 6, 8]];
    expect(maxDiff(await logitsOf(model, rows), await logitsOf(model, rows, adapter))).toBe(0);
    const weights = adapter.exportWeights();
    for (const [name, w] of weights) {
      if (name.endsWith('lora_B.weight')) expect(w.data.every((x) => x === 0)).toBe(true);
      else {
        const inFeatures = w.shape[1];
        expect(w.data.every((x) => Math.abs(x) <= 1 / Math.sqrt(inFeatures))).toBe(true);
        expect(w.data.some((x) => x !== 0)).toBe(true);
      }
    }
    const again = LoraAdapter.fromWeights(model.linearModules, adapter.config, weights);
    expect([...again.exportWeights().keys()]).toEqual([...weights.keys()]);
    again.dispose();
    adapter.dispose();
    model.dispose();
  });

  it('rebuilds from its exported weights and refuses weights of the wrong shape', async () => {
    const model = createModel(config, { seed: 4 });
    const weights = model.exportWeights();
    const copy = createModel(config, weights);
    expect(copy.numParams).toBe(model.numParams);
    expect(maxDiff(await logitsOf(copy, [[1, 2, 3]]), await logitsOf(model, [[1, 2, 3]]))).toBe(0);
    const [firstName, first] = [...weights][0];
    const broken: WeightMap = new Map(weights);
    broken.set(firstName, { shape: [first.shape[0] + 1, first.shape[1]], data: new Float32Array((first.shape[0] + 1) * first.shape[1]) });
    expect(() => createModel(config, broken)).toThrow(ShapeMismatchError);
    broken.delete(firstName);
    expect(() => createModel(config, broken)).toThrow(ShapeMismatchError);
    copy.dispose();
    model.dispose();
  });
});

describe('names, targets and configs', () => {
  it('uses PEFT names, and GPT-2 c_proj targets both attn.c_proj and mlp.c_proj as PEFT does', () => {
    const model = createModel(gpt2, { seed: 1 });
    const adapter = LoraAdapter.create(model.linearModules, { r: 2, lora_alpha: 4, lora_dropout: 0, target_modules: ['c_proj'] }, 1);
    const names = [...adapter.exportWeights().entries()].map(([n, w]) => `${n} [${w.shape}]`);
    expect(names).toEqual([
      'base_model.model.transformer.h.0.attn.c_proj.lora_A.weight [2,16]',
      'base_model.model.transformer.h.0.attn.c_proj.lora_B.weight [16,2]',
      'base_model.model.transformer.h.0.mlp.c_proj.lora_A.weight [2,64]',
      'base_model.model.transformer.h.0.mlp.c_proj.lora_B.weight [16,2]',
      'base_model.model.transformer.h.1.attn.c_proj.lora_A.weight [2,16]',
      'base_model.model.transformer.h.1.attn.c_proj.lora_B.weight [16,2]',
      'base_model.model.transformer.h.1.mlp.c_proj.lora_A.weight [2,64]',
      'base_model.model.transformer.h.1.mlp.c_proj.lora_B.weight [16,2]',
    ]);
    expect(() => LoraAdapter.create(model.linearModules, { r: 2, lora_alpha: 4, lora_dropout: 0, target_modules: ['q_proj'] }, 1)).toThrow(AdapterMismatchError);
    adapter.dispose();
    model.dispose();
  });

  it('uses HF tensor names and layouts, and accepts Hub GPT-2 names without "transformer."', () => {
    const model = createModel(gpt2, { seed: 1 });
    const weights = model.exportWeights();
    expect(weights.get('transformer.h.0.attn.c_attn.weight')!.shape).toEqual([16, 48]);
    expect(weights.get('transformer.h.1.mlp.c_proj.weight')!.shape).toEqual([64, 16]);
    const hub: WeightMap = new Map([...weights].map(([n, w]) => [n.replace(/^transformer\./, ''), w]));
    hub.set('h.0.attn.bias', { shape: [1, 1, 32, 32], data: new Float32Array(1024) });
    createModel(gpt2, hub).dispose();
    model.dispose();
    const l = createModel({ ...llama, model_type: 'qwen2', tie_word_embeddings: false }, { seed: 1 });
    const lw = l.exportWeights();
    expect(lw.get('model.layers.0.self_attn.k_proj.weight')!.shape).toEqual([8, 16]);
    expect(lw.has('model.layers.0.self_attn.k_proj.bias')).toBe(true);
    expect(lw.has('model.layers.0.self_attn.o_proj.bias')).toBe(false);
    expect(lw.get('lm_head.weight')!.shape).toEqual([19, 16]);
    l.dispose();
  });

  it('left padding with a key mask matches the unpadded sequence under rotary (relative) positions', async () => {
    const model = createModel(llama, { seed: 9 });
    const V = llama.vocab_size;
    const single = await logitsOf(model, [[3, 4, 5]]);
    const padded = await logitsOf(model, [[0, 0, 3, 4, 5]], null, [[0, 0, 1, 1, 1]]);
    expect(maxDiff(padded.subarray(2 * V, 5 * V), single)).toBeLessThan(1e-4);
    model.dispose();
  });

  it('rejects bad configs with named errors', () => {
    expect(() => createModel({ ...gpt2, n_head: 3 }, { seed: 1 })).toThrow(ModelConfigError);
    expect(() => createModel({ ...llama, num_key_value_heads: 3 }, { seed: 1 })).toThrow(ModelConfigError);
    expect(() => createModel({ ...llama, rope_scaling: { rope_type: 'llama3', factor: 8 } } as LlamaConfig, { seed: 1 })).toThrow(UnsupportedArchitectureError);
    expect(() => createModel({ ...gpt2, model_type: 'bert' } as unknown as Gpt2Config, { seed: 1 })).toThrow(UnsupportedArchitectureError);
  });
});
