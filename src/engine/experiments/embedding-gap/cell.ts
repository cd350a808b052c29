// One Embedding gap cell: LoRA contrastive fine-tuning of the base as an embedder on the cell's pairs, scored on the shared test set, adapter dropped after.
import { CausalLmEmbedder } from '../../embed/causal-lm-embedder';
import { allLinearTargets, createContrastiveTrainer } from '../../embed/contrastive-trainer';
import { evaluateRetrieval, type RetrievalEvalInput } from '../../embed/evaluate-retrieval';
import type { QueryMetrics } from '../../embed/retrieval-metrics';
import { embeddingGapPairs, type EmbeddingGapCellPlan, type EmbeddingGapSpec } from './plan';
import type { EmbeddingGapCell } from './series';

/** The base's metrics on the test set (no adapter). */
export async function embeddingGapBase(embedder: CausalLmEmbedder, test: RetrievalEvalInput): Promise<QueryMetrics[]> {
  return (await evaluateRetrieval(embedder, test)).map((o) => o.metrics);
}

export async function runEmbeddingGapCell(embedder: CausalLmEmbedder, spec: EmbeddingGapSpec, cell: EmbeddingGapCellPlan, test: RetrievalEvalInput): Promise<EmbeddingGapCell> {
  const started = performance.now();
  const targets = allLinearTargets(embedder);
  const trainer = createContrastiveTrainer(embedder, embeddingGapPairs(cell), {
    method: 'lora',
    lora: { r: spec.rank, lora_alpha: 2 * spec.rank, lora_dropout: 0, target_modules: targets },
    lr: spec.learningRate,
    weightDecay: 0,
    betas: [0.9, 0.999],
    eps: 1e-8,
    warmupSteps: 0,
    schedule: 'constant',
    maxSteps: spec.steps,
    batchSize: spec.batchSize,
    maxGradNorm: 1,
    seed: cell.seed,
  });
  try {
    const losses: number[] = [];
    for (let i = 0; i < spec.steps; i++) losses.push((await trainer.step()).loss);
    const tuned = (await evaluateRetrieval(embedder, test, { lora: trainer.lora })).map((o) => o.metrics);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return { ...cell, tuned, firstLoss: mean(losses.slice(0, 5)), lastLoss: mean(losses.slice(-5)), seconds: (performance.now() - started) / 1000 };
  } finally {
    trainer.dispose();
  }
}
