// One Embedding gap cell: the base as an embedder scored on the test tickets (step 0), contrastively fine-tuned on the cell's pairs (LoRA, or full at rank 0), scored again.
import { CausalLmEmbedder } from '../../embed/causal-lm-embedder';
import { allLinearTargets, createContrastiveTrainer } from '../../embed/contrastive-trainer';
import { evaluateRetrieval } from '../../embed/evaluate-retrieval';
import { METRIC_NAMES } from '../../embed/retrieval-metrics';
import type { LoraBranches } from '../../models/forward-context';
import { createModel } from '../../models/causal-lm';
import type { CellRunOptions, ExperimentBase } from '../cell-runner';
import { cellResultOf, trainCellSteps } from '../cell-steps';
import { FULL_FT_LR_FACTOR } from '../presets';
import type { Cell, CellEval, CellResult, CellTiming } from '../types';
import { embeddingGapPairs, embeddingGapTestSet, type EmbeddingGapOptions } from './plan';

export async function runEmbeddingGapCell(base: ExperimentBase, cell: Cell, gap: EmbeddingGapOptions, options: CellRunOptions & { testQueries: number }): Promise<CellResult> {
  const started = performance.now();
  const { settings, seed } = cell;
  const task = embeddingGapTestSet(options.testQueries);
  const test = { corpus: task.corpus, queries: task.test.queries, qrels: task.test.qrels };
  const pairs = embeddingGapPairs(settings.trainSize, seed);
  const model = createModel(base.config, base.weights);
  const embedder = new CausalLmEmbedder(model, base.tokenizer, { pooling: gap.pooling });
  const full = settings.rank === 0;
  const trainer = createContrastiveTrainer(embedder, pairs, {
    method: full ? 'full' : 'lora',
    lora: full ? undefined : { r: settings.rank, lora_alpha: 2 * settings.rank, lora_dropout: 0, target_modules: allLinearTargets(embedder) },
    lr: full ? settings.lr * FULL_FT_LR_FACTOR : settings.lr,
    weightDecay: 0,
    betas: [0.9, 0.999],
    eps: 1e-8,
    warmupSteps: 0,
    schedule: 'constant',
    maxSteps: settings.steps,
    batchSize: settings.batchSize,
    maxGradNorm: 1,
    seed,
  });
  const evals: CellEval[] = [];
  const losses: number[] = [];
  const timing: CellTiming = { steps: 0, trainMs: 0, evalPoints: 0, evalMs: 0, otherMs: performance.now() - started };
  // Every metric per test ticket, in the test set's order (the same in every cell, so cells pair ticket by ticket).
  const score = async (step: number, lora: LoraBranches | null) => {
    const t0 = performance.now();
    const metrics = (await evaluateRetrieval(embedder, test, { lora })).map((o) => o.metrics);
    const items = Object.fromEntries(METRIC_NAMES.map((m) => [m, metrics.map((q) => q[m])]));
    const point: CellEval = { step, scores: Object.fromEntries(METRIC_NAMES.map((m) => [m, items[m].reduce((a, b) => a + b, 0) / metrics.length])), items };
    evals.push(point);
    timing.evalPoints++;
    timing.evalMs += performance.now() - t0;
    options.onEval?.(point);
  };
  try {
    await score(0, null);
    await trainCellSteps(trainer, settings.steps, { ...options, evalEvery: 0, evalEarly: undefined }, timing, losses, (step) => score(step, trainer.lora));
  } finally {
    trainer.dispose();
    model.dispose();
  }
  return { ...cellResultOf(base, cell, options.experimentId, { evals, losses, trainExamples: pairs.length, started, timing }), trainDistinct: new Set(pairs.map((p) => p.anchor)).size };
}
