// The Tiny World retrieval gap on tiny-world-400k: the base used as an embedder ranks team pages by surface words; a short
// LoRA contrastive fine-tune on ticket → team pairs closes much of it. A measurement (tfjs wasm in Node), printed; asserts only
// that training raises recall@1 on the held-out test queries (split by phrase) beyond the paired interval. On demand only
// (CI time): TUNELAB_RETRIEVAL_GAP=1 npx vitest run src/engine/embed/retrieval-gap.test.ts
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { initNodeBackend } from '../../../scripts/experiments/backend';
import { readSafetensors } from '../io';
import { createModel } from '../models/causal-lm';
import type { ModelConfig } from '../models/config';
import { loadTokenizer } from '../tokenizers';
import { surfacePageOf, tinyWorldRetrievalTask } from '../world/retrieval-task';
import { CausalLmEmbedder } from './causal-lm-embedder';
import { createContrastiveTrainer } from './contrastive-trainer';
import { evaluateRetrieval } from './evaluate-retrieval';
import { pairedDifference, retrievalScores } from './retrieval-metrics';

const folder = resolve(__dirname, '../../../public/models/tiny-world-400k');
const STEPS = Number(process.env.GAP_STEPS ?? 40);

test.skipIf(!existsSync(folder) || !process.env.TUNELAB_RETRIEVAL_GAP)('tiny-world-400k as an embedder: the gap exists and a LoRA fine-tune narrows it', { timeout: 600_000 }, async () => {
  await initNodeBackend(process.env.GAP_BACKEND === 'cpu' ? 'cpu' : 'wasm');
  const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
  const model = createModel(config, readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors')))));
  const embedder = new CausalLmEmbedder(model, tokenizer, { pooling: 'mean' });
  const task = tinyWorldRetrievalTask({ pairs: 128, testQueries: 200, seed: 1 });
  const evalSet = { corpus: task.corpus, ...task.test };
  const base = await evaluateRetrieval(embedder, evalSet);
  // Where the page's words and the routing disagree: does the base's top page follow the words or the routing?
  const misleading = task.test.queries.map((q, i) => ({ surface: surfacePageOf(q.text), team: [...task.test.qrels.get(q._id)!.keys()][0], top: base[i].top })).filter((x) => x.surface && x.surface !== x.team);
  const share = (f: (x: (typeof misleading)[number]) => boolean) => `${misleading.filter(f).length}/${misleading.length}`;
  console.log(`misleading tickets: base top-1 is the surface page for ${share((x) => x.top === x.surface)}, the relevant page for ${share((x) => x.top === x.team)}`);
  const trainer = createContrastiveTrainer(embedder, task.pairs, {
    method: 'lora', lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['c_attn', 'c_proj', 'c_fc'] },
    lr: 2e-3, weightDecay: 0, betas: [0.9, 0.999], eps: 1e-8, warmupSteps: 0, schedule: 'constant', maxSteps: STEPS, batchSize: 4, maxGradNorm: 1, seed: 0,
  });
  const losses: number[] = [];
  for (let i = 0; i < STEPS; i++) losses.push((await trainer.step()).loss);
  const tuned = await evaluateRetrieval(embedder, evalSet, { lora: trainer.lora });
  const b = retrievalScores(base.map((q) => q.metrics), 1);
  const t = retrievalScores(tuned.map((q) => q.metrics), 1);
  const d = pairedDifference(base.map((q) => q.metrics), tuned.map((q) => q.metrics), 'recall@1', 1);
  const fmt = (s: { value: number; ci: [number, number] }) => `${s.value.toFixed(3)} [${s.ci[0].toFixed(3)}, ${s.ci[1].toFixed(3)}]`;
  console.log(`loss ${losses.slice(0, 3).map((l) => l.toFixed(3))} … ${losses.slice(-3).map((l) => l.toFixed(3))}`);
  console.log(`base  recall@1 ${fmt(b['recall@1'])} nDCG@10 ${fmt(b['ndcg@10'])}; top-1 pages ${JSON.stringify(countTop(base.map((q) => q.top)))}`);
  console.log(`tuned recall@1 ${fmt(t['recall@1'])} nDCG@10 ${fmt(t['ndcg@10'])}; top-1 pages ${JSON.stringify(countTop(tuned.map((q) => q.top)))}`);
  console.log(`difference recall@1 ${d.mean.toFixed(3)} [${d.lo.toFixed(3)}, ${d.hi.toFixed(3)}]`);
  expect(d.lo).toBeGreaterThan(0);
  trainer.dispose();
  model.dispose();
});

function countTop(tops: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tops) out[t] = (out[t] ?? 0) + 1;
  return out;
}
