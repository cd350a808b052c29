// Central finite differences of the training loss agree with the autodiff gradients of LoRA A and B.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../backend/tf';
import { initBackend } from '../backend/init';
import { createModel } from '../models/causal-lm';
import type { Gpt2Config, LlamaConfig, ModelConfig } from '../models/config';
import { makeBatch } from '../train/batch';
import { batchLoss } from '../train/loss';
import { LoraAdapter } from './adapter';
import { Rng } from '../rng';

const gpt2: Gpt2Config = { model_type: 'gpt2', vocab_size: 11, n_positions: 16, n_embd: 8, n_layer: 1, n_head: 2, layer_norm_epsilon: 1e-5 };
const qwen: LlamaConfig = {
  model_type: 'qwen2', vocab_size: 11, hidden_size: 8, intermediate_size: 12, num_hidden_layers: 1,
  num_attention_heads: 2, num_key_value_heads: 1, rms_norm_eps: 1e-6, max_position_embeddings: 16,
};
const examples = [
  { id: 'a', ids: [1, 4, 2, 8, 5, 3], weights: [0, 0, 1, 1, 1, 1] },
  { id: 'b', ids: [7, 2, 9, 1], weights: [0, 1, 0.5, 2] },
];

beforeAll(async () => {
  await initBackend('cpu');
});

describe.each([['gpt2', gpt2 as ModelConfig, ['c_attn', 'c_fc']], ['qwen2', qwen as ModelConfig, ['q_proj', 'v_proj', 'up_proj']]] as const)('%s', (_, config, targets) => {
  it('LoRA gradients match central finite differences', async () => {
    const model = createModel(config, { seed: 3 });
    // Larger weights than the default init so the loss is far from flat.
    for (const [, v] of model.namedVariables()) {
      const big = tf.tidy(() => tf.mul(v, v.rank === 2 ? 10 : 1));
      v.assign(big);
      big.dispose();
    }
    const adapter = LoraAdapter.create(model.linearModules, { r: 2, lora_alpha: 2, lora_dropout: 0, target_modules: [...targets] }, 4);
    for (const m of adapter.modules.values()) {
      const b = tf.randomNormal(m.B.shape, 0, 0.3, 'float32', 5);
      m.B.assign(b);
      b.dispose();
    }
    const batch = makeBatch(examples, 16);
    const lossValue = () => tf.tidy(() => {
      const r = batchLoss(model, batch, adapter, batch.weightSum, null);
      return r.loss.dataSync()[0];
    });
    const variables = adapter.namedVariables();
    const { value, grads } = tf.variableGrads(() => batchLoss(model, batch, adapter, batch.weightSum, null).loss as tf.Scalar, variables.map(([, v]) => v));
    value.dispose();
    const rng = new Rng(1);
    const h = 1e-2;
    let checked = 0;
    let magnitude = 0;
    for (const [name, v] of variables) {
      const analytic = grads[v.name].dataSync();
      const original = v.dataSync().slice() as Float32Array;
      for (let k = 0; k < 3; k++) {
        const i = rng.int(original.length);
        const perturbed = original.slice();
        perturbed[i] = original[i] + h;
        v.assign(tf.tensor(perturbed, v.shape));
        const up = lossValue();
        perturbed[i] = original[i] - h;
        v.assign(tf.tensor(perturbed, v.shape));
        const down = lossValue();
        v.assign(tf.tensor(original, v.shape));
        const numeric = (up - down) / (2 * h);
        // float32 loss differences over 2h limit agreement to ~1e-3 absolute.
        expect(Math.abs(numeric - analytic[i]), `${name}[${i}]: numeric ${numeric} vs analytic ${analytic[i]}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(analytic[i]));
        checked++;
        magnitude += Math.abs(analytic[i]);
      }
    }
    expect(checked).toBe(variables.length * 3);
    // The tolerance above is meaningful only if the gradients are well above it.
    expect(magnitude / checked).toBeGreaterThan(2e-2);
    Object.values(grads).forEach((g) => g.dispose());
    adapter.dispose();
    model.dispose();
  });
});
