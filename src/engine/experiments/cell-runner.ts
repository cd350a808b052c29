// Runs one experiment cell for real: builds its data, fine-tunes the base with the engine's trainer, scores the probes.
import { JobCancelledError } from '../errors';
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
import { cellTrainOptions } from './cell-training';
import type { Cell, CellEval, CellResult } from './types';

/** The base a cell starts from: config + weights (a fresh model is built per cell, so full fine-tuning never leaks). */
export interface ExperimentBase {
  id: string;
  config: ModelConfig;
  weights: WeightMap;
  tokenizer: Tokenizer;
}

export interface CellRunOptions {
  experimentId: string;
  suite: EvalSuite;
  target: Parameters<typeof cellExamples>[2];
  /** Evaluate every this many steps (0 = only at the end); step 0 (the base) is scored too when > 0. */
  evalEvery: number;
  signal?: AbortSignal;
  onStep?: (step: number, loss: number) => void;
  /** Called after every eval point (progress of a long cell). */
  onEval?: (point: CellEval) => void;
}

function checkCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new JobCancelledError('The experiment was cancelled.', 'Run it again: finished cells are kept and skipped.');
}

export async function runCell(base: ExperimentBase, cell: Cell, options: CellRunOptions): Promise<CellResult> {
  const started = performance.now();
  const model = createModel(base.config, base.weights);
  const maxSeqLen = model.dims.maxPositions;
  // The base models' line format: no BOS, no EOS; an answer ends with "\n".
  const examples: TokenizedExample[] = cellExamples(cell.settings, cell.seed, options.target).map((e, i) =>
    tokenizeRecord({ kind: 'prompt-completion', line: i + 1, prompt: e.prompt, completion: e.completion }, base.tokenizer, { maxSeqLen, appendEos: false }),
  );
  const trainer = createTrainer(model, examples, cellTrainOptions(cell.settings, cell.seed, maxSeqLen));
  const evals: CellEval[] = [];
  const losses: number[] = [];
  const score = async (step: number) => {
    const result = await evaluateSuite(evalModelOf(model, trainer.lora), evalTokenizerOf(base.tokenizer), options.suite, { seed: 0, resamples: 200, signal: options.signal });
    const point: CellEval = { step, scores: Object.fromEntries(result.probes.map((p) => [p.probe, headline(p).value])) };
    evals.push(point);
    options.onEval?.(point);
  };
  try {
    if (options.evalEvery > 0) await score(0);
    while (trainer.stepCount < cell.settings.steps) {
      checkCancelled(options.signal);
      const stats = await trainer.step();
      losses.push(stats.loss);
      options.onStep?.(stats.step, stats.loss);
      const last = stats.step === cell.settings.steps;
      if (last || (options.evalEvery > 0 && stats.step % options.evalEvery === 0)) await score(stats.step);
    }
  } finally {
    trainer.dispose();
    model.dispose();
  }
  return {
    cellKey: cell.key,
    experimentId: options.experimentId,
    settings: cell.settings,
    seed: cell.seed,
    evals,
    losses,
    trainExamples: examples.length,
    ms: performance.now() - started,
  };
}
