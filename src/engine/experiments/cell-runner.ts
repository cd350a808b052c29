// Runs one experiment cell for real: builds its data, fine-tunes the base with the engine's trainer, scores the probes.
import { tokenizeRecord } from '../data/tokenize-record';
import type { TokenizedExample } from '../data/example';
import { evaluateSuite, headline } from '../eval/run-suite';
import { evalModelOf, evalTokenizerOf } from '../eval/eval-model';
import type { EvalSuite } from '../eval/types';
import { createModel } from '../models/causal-lm';
import type { ModelConfig, WeightMap } from '../models/config';
import type { Tokenizer } from '../tokenizers/tokenizer';
import { createTrainer } from '../train/trainer';
import { cellExamples } from './cell-data';
import { cohortExamples } from './cohorts/data';
import { cellTrainOptions } from './cell-training';
import { evalTexts } from './suite';
import { seenPhraseFlags } from './seen-phrases';
import { cellResultOf, trainCellSteps } from './cell-steps';
import type { Cell, CellEval, CellResult, CellTiming, DistillSpec, EvalEarly, LeakageSpec } from './types';
import { runLeakageCell } from './leakage/cell';
import { runDistillCell } from './distill/cell';
import { runJudgeDriftCell } from './judge-drift/cell';
import type { JudgeDriftSpec } from './judge-drift/spec';
import { runEmbeddingGapCell } from './embedding-gap/cell';
import type { EmbeddingGapOptions } from './embedding-gap/plan';
import { matchedStop } from './matched/stop';
import type { MatchedSpec } from './matched/spec';
import { promptTokensOf, runPromptCell } from './prompting/cell';
import { isPromptCell, type PromptingSpec } from './prompting/spec';
import { ceilingExamples, ceilingSuite, type CeilingSpec } from './ceiling/spec';
import { assertCeilingContext } from './ceiling/bases';

/** The base a cell starts from: config + weights (a fresh model is built per cell, so full fine-tuning never leaks). */
export interface ExperimentBase {
  id: string;
  config: ModelConfig;
  weights: WeightMap;
  tokenizer: Tokenizer;
  /** sha-256 of the weights file (or of a seed base's recipe): part of the experiment's identity. */
  weightsSha256: string;
}

export interface CellRunOptions {
  experimentId: string;
  suite: EvalSuite;
  target: Parameters<typeof cellExamples>[2];
  /** Evaluate every this many steps (0 = only at the end); step 0 (the base) is scored too when > 0. */
  evalEvery: number;
  /** Denser evals early: also every `every` steps up to `until` (every 0 = off). */
  evalEarly?: EvalEarly;
  signal?: AbortSignal;
  /** After every training step, with the cell's timing so far (the sweep's time estimate). */
  onStep?: (step: number, loss: number, timing: CellTiming) => void;
  /** Called after every eval point (progress of a long cell). */
  onEval?: (point: CellEval) => void;
  /** The Leakage preset's canaries: the cell then trains on Tiny World lines plus canaries and measures leakage. */
  leakage?: LeakageSpec;
  /** The Distillation preset's teacher: the cell then trains a student on the teacher's answers and compares them. */
  distill?: DistillSpec;
  /** The Judge drift preset's loop: the cell then builds its judge and runs both arms' rounds, scored on `driftEvalItems` items. */
  judgeDrift?: JudgeDriftSpec;
  driftEvalItems?: number;
  /** The Embedding gap preset: the cell then fine-tunes the base as an embedder and scores retrieval on `embeddingGapTestQueries` tickets. */
  embeddingGap?: EmbeddingGapOptions;
  embeddingGapTestQueries?: number;
  /** The matched-gain preset's stopping rule: the cell then stops when the target reaches a dev accuracy (steps = cap). */
  matched?: MatchedSpec;
  /** The Prompting preset: a cell with no training examples is the base asked with k shots; the others record prompt tokens too. */
  prompting?: PromptingSpec;
  /** The Capability ceiling preset: the cell's data and probes come from its seed's entity split (its base is cell.settings.base). */
  ceiling?: CeilingSpec;
}

export { isEvalStep } from './cell-steps';

/** Training rows per cohort (repeats counted): what a Cohorts cell really sampled. */
function cohortTally(examples: readonly { cohort: string }[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const e of examples) tally[e.cohort] = (tally[e.cohort] ?? 0) + 1;
  return tally;
}

export async function runCell(base: ExperimentBase, cell: Cell, options: CellRunOptions): Promise<CellResult> {
  if (options.leakage) return runLeakageCell(base, cell, options.leakage, options);
  if (options.distill) return runDistillCell(base, cell, options.distill, options);
  if (options.judgeDrift) return runJudgeDriftCell(base, cell, options.judgeDrift, { ...options, evalItems: options.driftEvalItems ?? 40 });
  if (options.embeddingGap) return runEmbeddingGapCell(base, cell, options.embeddingGap, { ...options, testQueries: options.embeddingGapTestQueries ?? 200 });
  if (options.prompting && isPromptCell(cell.settings)) return runPromptCell(base, cell, options);
  if (cell.settings.base !== undefined && cell.settings.base !== base.id) {
    throw new Error(`Cell ${cell.key} is of base ${cell.settings.base}, but ${base.id} was loaded for it.`);
  }
  const started = performance.now();
  const model = createModel(base.config, base.weights);
  const maxSeqLen = model.dims.maxPositions;
  if (options.ceiling) {
    try {
      assertCeilingContext(base.id, maxSeqLen);
    } catch (error) {
      model.dispose();
      throw error;
    }
  }
  // The base models' line format: no BOS, no EOS; an answer ends with "\n".
  // A Capability ceiling cell: its seed's entity split decides both its training facts and its held-out probes.
  const ceiling = options.ceiling;
  const suite = ceiling ? ceilingSuite(cell.seed, ceiling.trainEntities) : options.suite;
  const evalSet = evalTexts(suite);
  // A matched-gain cell's dev probe (development eval set) is kept out of its training data too.
  const matched = options.matched ? matchedStop(options.matched, options.target, evalSet) : undefined;
  // A Cohorts cell: each example in its cohort's form, minority examples repeated when balanced, and a per-example loss
  // weight (the trainer's loss is the weighted mean over a batch's tokens, so scaling an example's token weights by w
  // counts it w times).
  const training: { prompt: string; completion: string; weight?: number }[] = ceiling
    ? ceilingExamples(cell.seed, ceiling.trainEntities)
    : cell.settings.cohorts
    ? cohortExamples(cell.settings, cell.seed, options.target, evalSet)
    : cellExamples(cell.settings, cell.seed, options.target, evalSet);
  const examples: TokenizedExample[] = training.map((e, i) => {
    const ex = tokenizeRecord({ kind: 'prompt-completion', line: i + 1, prompt: e.prompt, completion: e.completion }, base.tokenizer, { maxSeqLen, appendEos: false });
    return e.weight === undefined || e.weight === 1 ? ex : { ...ex, weights: ex.weights.map((w) => w * e.weight!) };
  });
  const trainer = createTrainer(model, examples, cellTrainOptions(cell.settings, cell.seed, maxSeqLen));
  const evals: CellEval[] = [];
  const losses: number[] = [];
  const timing: CellTiming = { steps: 0, trainMs: 0, evalPoints: 0, evalMs: 0, otherMs: performance.now() - started };
  const score = async (step: number) => {
    const t0 = performance.now();
    // The suite's own per-probe interval covers items only; experiments resample seeds and items from the kept item values.
    const result = await evaluateSuite(evalModelOf(model, trainer.lora), evalTokenizerOf(base.tokenizer), suite, { seed: 0, resamples: 1, signal: options.signal });
    const point: CellEval = {
      step,
      scores: Object.fromEntries(result.probes.map((p) => [p.probe, headline(p).value])),
      items: Object.fromEntries(result.probes.map((p) => [p.probe, p.itemValues.map((v) => v.numerator)])),
    };
    const tokens = result.probes.filter((p) => p.itemValues.some((v) => v.denominator !== 1));
    if (tokens.length) point.itemTokens = Object.fromEntries(tokens.map((p) => [p.probe, p.itemValues.map((v) => v.denominator)]));
    evals.push(point);
    timing.evalPoints++;
    timing.evalMs += performance.now() - t0;
    options.onEval?.(point);
  };
  try {
    if (options.evalEvery > 0 || (options.evalEarly?.every ?? 0) > 0 || matched) await score(0);
    const stop = matched ? (step: number) => matched.check(step, () => evalModelOf(model, trainer.lora), evalTokenizerOf(base.tokenizer), timing, options.signal) : undefined;
    await trainCellSteps(trainer, cell.settings.steps, { ...options, stop }, timing, losses, score);
  } finally {
    trainer.dispose();
    model.dispose();
  }
  return {
    ...cellResultOf(base, cell, options.experimentId, { evals, losses, trainExamples: examples.length, started, timing }),
    trainDistinct: new Set(training.map((e) => e.prompt)).size,
    ...(cell.settings.cohorts ? { trainCohorts: cohortTally(training as unknown as { cohort: string }[]) } : {}),
    seenPhrase: seenPhraseFlags(suite, training),
    ...(matched ? { matched: matched.run } : {}),
    // A fine-tuned Prompting cell is asked zero-shot: its prompt tokens, and its training examples' mean tokens (the cost side).
    ...(options.prompting ? { prompting: { shots: 0, promptTokens: promptTokensOf(options.suite, options.target, base.tokenizer), trainTokensPerExample: examples.reduce((s, e) => s + e.ids.length, 0) / Math.max(1, examples.length) } } : {}),
  };
}
