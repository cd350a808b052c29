// The BERT embedder on WebGPU (Node, Dawn) with the fused kernels: the float64 fixture forward, and LoRA and full
// fine-tuning gradients equal to those on tfjs CPU (which embedders.test.ts checks by finite differences).
import { describe, expect, it } from 'vitest';
import { dawnAvailable, useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
import { useFusedKernels } from '../backend/kernels/webgpu-backend';
import { tf } from '../backend/tf';
import { LoraAdapter } from '../lora/adapter';
import { createBertModel } from '../models/bert';
import { bertGolden as golden, tinyBertConfig, tinyBertJson, tinyBertWeights, weightMapOf } from '../models/testing/bert-fixture';
import { loadTokenizer } from '../tokenizers/load';
import { scaledError } from '../train/golden-check';
import { BertEmbedder } from './bert-embedder';
import { runBertGoldenChecks } from './bert-golden-check';

const FULL = ['embeddings.word_embeddings.weight', 'embeddings.LayerNorm.weight', 'encoder.layer.0.attention.self.query.weight', 'encoder.layer.0.attention.self.value.bias', 'encoder.layer.1.intermediate.dense.weight', 'encoder.layer.1.output.LayerNorm.bias'];

/** d/dθ Σ e·w for the adapter's A/B and some base weights (w fixed), on the current backend, as plain arrays by name. */
async function gradients(): Promise<Map<string, Float32Array>> {
  const model = createBertModel(tinyBertConfig(), tinyBertWeights());
  const { weights, ...config } = golden.adapter;
  const adapter = LoraAdapter.fromWeights(model.linearModules, config, weightMapOf(weights));
  const embedder = new BertEmbedder(model, loadTokenizer(tinyBertJson('tokenizer.json') as object), { pooling: 'mean', normalize: true });
  const batch = embedder.tokenize(golden.texts);
  const w = tf.tensor2d(Array.from({ length: golden.texts.length * 16 }, (_, i) => Math.sin(1.7 * i)), [golden.texts.length, 16]);
  const variables = [...adapter.namedVariables(), ...FULL.map((n) => [n, model.variable(n)] as [string, tf.Variable])];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(embedder.embed(batch, adapter), w)) as tf.Scalar, variables.map(([, v]) => v));
  const out = new Map<string, Float32Array>();
  for (const [name, v] of variables) out.set(name, (await grads[v.name].data()) as Float32Array);
  tf.dispose([value, w, batch.ids, batch.mask, ...Object.values(grads)]);
  adapter.dispose();
  model.dispose();
  return out;
}

describe.skipIf(!dawnAvailable)('BERT embedder on WebGPU (Dawn, fused kernels)', () => {
  it('matches the float64 fixture and the CPU gradients', { timeout: 600_000 }, async () => {
    await tf.setBackend('cpu');
    const cpu = await gradients();
    await useDawnWebGPU();
    expect(useFusedKernels()).toBe(true);
    const report = await runBertGoldenChecks(tinyBertConfig(), tinyBertWeights(), tinyBertJson('tokenizer.json') as object, golden);
    for (const c of report.checks) expect(c.error, c.what).toBeLessThan(1e-4);
    const gpu = await gradients();
    for (const [name, want] of cpu) expect(scaledError(gpu.get(name)!, want), name).toBeLessThan(1e-4);
  });
});
