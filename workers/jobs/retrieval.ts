// Job: a model as an embedder, scored by exact search on a retrieval set, contrastively fine-tuned (LoRA or full) with live validation, then scored again.
import type { QueryComparison, RetrievalCurvePoint, RetrievalEvalData, RetrievalJobInput, RetrievalProgress, RetrievalResult, RetrievalSide } from '../../src/contract';
import { allLinearTargets, createContrastiveTrainer, type ContrastiveTrainer } from '../../src/engine/embed/contrastive-trainer';
import { evaluateRetrieval, type QueryOutcome } from '../../src/engine/embed/evaluate-retrieval';
import { METRIC_NAMES, pairedDifference, retrievalScores, type MetricName } from '../../src/engine/embed/retrieval-metrics';
import { checkRetrievalSet, qrelsFromTriples } from '../../src/engine/embed/retrieval-inputs';
import type { Estimate } from '../../src/engine/experiments/resample';
import { embedderOf } from '../helpers/embedder-of';
import { TrainClock } from '../helpers/train-clock';

function qrelsOf(data: RetrievalEvalData): Map<string, Map<string, number>> {
  return qrelsFromTriples(data.qrels);
}

function sideOf(outcomes: QueryOutcome[], seed: number): RetrievalSide {
  const perQuery = outcomes.map((o) => o.metrics);
  return { scores: retrievalScores(perQuery, seed), perQuery };
}

export async function retrievalJob(input: RetrievalJobInput, signal: AbortSignal, report: (p: RetrievalProgress, force?: boolean) => void): Promise<RetrievalResult> {
  const started = performance.now();
  const { hyper } = input;
  const test = checkRetrievalSet(input.corpus, input.test.queries, qrelsOf(input.test));
  const validation = checkRetrievalSet(input.corpus, input.validation.queries, qrelsOf(input.validation));
  const held = await embedderOf(input.model, hyper.pooling);
  const { embedder } = held;
  // Full fine-tuning writes into the model: a loaded model gets its weights back at the end.
  if (hyper.method === 'full') await held.keepWeights();
  let trainer: ContrastiveTrainer | null = null;
  const curve: RetrievalCurvePoint[] = [];
  const cancelled = () => signal.aborted;
  try {
    const evalSet = (set: typeof test) => ({ corpus: input.corpus, queries: set.queries, qrels: set.qrels });
    report({ phase: 'base', step: 0, totalSteps: hyper.steps, etaSec: null, points: [] }, true);
    const baseOutcomes = await evaluateRetrieval(embedder, evalSet(test));
    const validate = async (step: number) => {
      const scores = retrievalScores((await evaluateRetrieval(embedder, evalSet(validation), { lora: trainer?.lora ?? null })).map((o) => o.metrics), 0, 1);
      return { step, recallAt1: scores['recall@1'].value, ndcgAt10: scores['ndcg@10'].value };
    };
    const base = sideOf(baseOutcomes, hyper.seed);
    const comparisons = (tunedOutcomes: QueryOutcome[] | null): QueryComparison[] =>
      test.queries.map((q, i) => ({
        id: q._id,
        text: q.text,
        baseRank: Number.isFinite(baseOutcomes[i].rank) ? baseOutcomes[i].rank : null,
        tunedRank: tunedOutcomes ? (Number.isFinite(tunedOutcomes[i].rank) ? tunedOutcomes[i].rank : null) : null,
        baseTop: baseOutcomes[i].top,
        tunedTop: tunedOutcomes?.[i].top ?? '',
      }));
    const baseOnly = (status: RetrievalResult['status']): RetrievalResult => ({
      status, steps: 0, queries: test.queries.length, droppedQueries: test.dropped, base, tuned: null, differences: null, comparisons: comparisons(null), curve, seconds: (performance.now() - started) / 1000,
    });
    // 0 steps: the base's scores alone (what the off-the-shelf model gets, before deciding to fine-tune).
    if (hyper.steps === 0 || cancelled()) return baseOnly(cancelled() ? 'cancelled' : 'completed');
    const first = await validate(0);
    curve.push(first);
    report({ phase: 'train', step: 0, totalSteps: hyper.steps, etaSec: null, points: [first] }, true);
    trainer = createContrastiveTrainer(embedder, input.pairs, {
      method: hyper.method,
      lora: hyper.method === 'lora' ? { r: hyper.rank, lora_alpha: 2 * hyper.rank, lora_dropout: 0, target_modules: allLinearTargets(embedder) } : undefined,
      lr: hyper.learningRate,
      weightDecay: 0,
      betas: [0.9, 0.999],
      eps: 1e-8,
      warmupSteps: 0,
      schedule: 'constant',
      maxSteps: hyper.steps,
      batchSize: hyper.batchSize,
      maxGradNorm: 1,
      seed: hyper.seed,
      loss: { scale: hyper.scale, symmetric: hyper.symmetric },
    });
    const clock = new TrainClock(0);
    while (trainer.stepCount < hyper.steps && !cancelled()) {
      const s = await trainer.step();
      const points: RetrievalCurvePoint[] = [{ step: s.step, loss: s.loss }];
      if (hyper.evalEvery > 0 && (s.step % hyper.evalEvery === 0 || s.step === hyper.steps)) points.push(await validate(s.step));
      curve.push(...points);
      report({ phase: 'train', step: s.step, totalSteps: hyper.steps, etaSec: clock.etaSec(s.step, 0, hyper.steps), points });
    }
    const steps = trainer.stepCount;
    if (steps === 0) return baseOnly('cancelled');
    report({ phase: 'tuned', step: steps, totalSteps: hyper.steps, etaSec: null, points: [] }, true);
    const tunedOutcomes = await evaluateRetrieval(embedder, evalSet(test), { lora: trainer.lora });
    const tuned = sideOf(tunedOutcomes, hyper.seed);
    const differences = Object.fromEntries(METRIC_NAMES.map((m) => [m, pairedDifference(base.perQuery, tuned.perQuery, m, hyper.seed)])) as Record<MetricName, Estimate>;
    return {
      status: cancelled() ? 'cancelled' : 'completed',
      steps,
      queries: test.queries.length,
      droppedQueries: test.dropped,
      base,
      tuned,
      differences,
      comparisons: comparisons(tunedOutcomes),
      curve,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    trainer?.dispose();
    held.release();
  }
}
