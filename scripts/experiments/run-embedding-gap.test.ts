// Runs the Embedding gap preset in Node (tfjs wasm by default) and prints its tables and readings (docs/results.md).
// Skipped unless TUNELAB_EMBEDDING_GAP is set:
//   TUNELAB_EMBEDDING_GAP=1 nice -n 5 npx vitest run scripts/experiments/run-embedding-gap.test.ts
// Knobs: GAP_PAIRS ("8,32,128"), GAP_SEEDS, GAP_STEPS, GAP_TEST (test queries), GAP_BACKEND (wasm|cpu), GAP_OUT (folder;
// default scripts/experiments/out). Cells already in the output JSON are kept and skipped, so a stopped run resumes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { it } from 'vitest';
import { initNodeBackend, type NodeBackend } from './backend';
import { readSafetensors } from '../../src/engine/io';
import { createModel } from '../../src/engine/models/causal-lm';
import type { ModelConfig } from '../../src/engine/models/config';
import { loadTokenizer } from '../../src/engine/tokenizers';
import { CausalLmEmbedder } from '../../src/engine/embed/causal-lm-embedder';
import type { MetricName, QueryMetrics } from '../../src/engine/embed/retrieval-metrics';
import { DEFAULT_EMBEDDING_GAP, embeddingGapCells, embeddingGapTestSet } from '../../src/engine/experiments/embedding-gap/plan';
import { embeddingGapBase, runEmbeddingGapCell } from '../../src/engine/experiments/embedding-gap/cell';
import { embeddingGapSeries, type EmbeddingGapCell } from '../../src/engine/experiments/embedding-gap/series';
import { embeddingGapReading } from '../../src/engine/experiments/embedding-gap/reading';
import { formatDifference, formatScore } from '../../src/engine/experiments/reading';

const env = process.env;

it.skipIf(!env.TUNELAB_EMBEDDING_GAP)('runs the Embedding gap preset', { timeout: 24 * 3600_000 }, async () => {
  const backend = await initNodeBackend((env.GAP_BACKEND ?? 'wasm') as NodeBackend);
  const spec = { ...DEFAULT_EMBEDDING_GAP };
  if (env.GAP_PAIRS) spec.pairCounts = env.GAP_PAIRS.split(',').map(Number);
  if (env.GAP_SEEDS) spec.seeds = Number(env.GAP_SEEDS);
  if (env.GAP_STEPS) spec.steps = Number(env.GAP_STEPS);
  if (env.GAP_TEST) spec.testQueries = Number(env.GAP_TEST);
  const folder = resolve('public/models', spec.base);
  const model = createModel(JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig, readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors')))));
  const embedder = new CausalLmEmbedder(model, loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8'))), { pooling: 'mean' });
  const task = embeddingGapTestSet(spec);
  const test = { corpus: task.corpus, queries: task.test.queries, qrels: task.test.qrels };
  const outDir = resolve(env.GAP_OUT ?? 'scripts/experiments/out');
  mkdirSync(outDir, { recursive: true });
  const outFile = resolve(outDir, 'embedding-gap.json');
  const saved = existsSync(outFile) ? (JSON.parse(readFileSync(outFile, 'utf8')) as { spec: typeof spec; base: QueryMetrics[]; cells: EmbeddingGapCell[] }) : null;
  const same = saved && JSON.stringify({ ...saved.spec, pairCounts: [], seeds: 0 }) === JSON.stringify({ ...spec, pairCounts: [], seeds: 0 });
  const started = performance.now();
  const base = same ? saved!.base : await embeddingGapBase(embedder, test);
  const cells: EmbeddingGapCell[] = same ? saved!.cells : [];
  const save = () => writeFileSync(outFile, JSON.stringify({ spec, backend, base, cells }));
  save();
  for (const plan of embeddingGapCells(spec)) {
    if (cells.some((c) => c.pairs === plan.pairs && c.seed === plan.seed)) continue;
    const cell = await runEmbeddingGapCell(embedder, spec, plan, test);
    cells.push(cell);
    save();
    console.log(`cell ${plan.pairs} pairs seed ${plan.seed}: loss ${cell.firstLoss.toFixed(3)} → ${cell.lastLoss.toFixed(3)}, ${cell.seconds.toFixed(0)} s`);
  }
  const lines: string[] = [];
  lines.push(`Embedding gap: ${spec.base} as an embedder (mean pooling, cosine), LoRA r${spec.rank} on every linear module, ${spec.steps} steps of ${spec.batchSize} pairs at lr ${spec.learningRate}, ${spec.seeds} seeds, ${spec.testQueries} test tickets, ${task.corpus.length} team pages; backend ${backend}, load ${loadavg()[0].toFixed(1)}, ${((performance.now() - started) / 60_000).toFixed(1)} min.`);
  for (const [metric, label] of [['recall@1', 'recall@1'], ['ndcg@10', 'nDCG@10']] as [MetricName, string][]) {
    const points = embeddingGapSeries(base, cells, metric);
    lines.push('', `| pairs | seeds | base ${label} | fine-tuned ${label} | difference (paired) |`, '|---|---|---|---|---|');
    for (const p of points) lines.push(`| ${p.pairs} | ${p.seeds} | ${formatScore(p.base)} | ${formatScore(p.tuned)} | ${formatDifference(p.difference)} |`);
    lines.push('', `Reading (${label}): ${embeddingGapReading(label, points, metric === 'recall@1' ? 1 / task.corpus.length : undefined)}`);
  }
  lines.push('', '| pairs | seed | first loss (mean of 5 steps) | last loss | seconds |', '|---|---|---|---|---|');
  for (const c of [...cells].sort((a, b) => a.pairs - b.pairs || a.seed - b.seed)) lines.push(`| ${c.pairs} | ${c.seed} | ${c.firstLoss.toFixed(3)} | ${c.lastLoss.toFixed(3)} | ${c.seconds.toFixed(0)} |`);
  const text = lines.join('\n');
  writeFileSync(resolve(outDir, 'embedding-gap.md'), text);
  console.log(text);
  model.dispose();
});
