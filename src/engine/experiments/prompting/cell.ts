// A Prompting cell: the untouched base asked the reported items with k of the seed's shots before each prompt, scored
// and its prompt tokens counted; a fine-tuned cell's prompt tokens (zero-shot) are counted by the same function.
import { ExperimentSpecError } from '../../errors';
import { withFewShot } from '../../eval/few-shot';
import { evaluateSuite, headline } from '../../eval/run-suite';
import { evalModelOf, evalTokenizerOf } from '../../eval/eval-model';
import type { EvalSuite } from '../../eval/types';
import { createModel } from '../../models/causal-lm';
import type { Tokenizer } from '../../tokenizers/tokenizer';
import type { SkillName } from '../../world';
import type { ExperimentBase } from '../cell-runner';
import { cellResultOf, checkCancelled } from '../cell-steps';
import { evalTexts } from '../suite';
import type { Cell, CellEval, CellResult, CellTiming } from '../types';
import { shotsOf } from './fit';
import type { PromptingRun } from './spec';

/** The suite with the target's probe prefixed by the shots; refused if a shot would drop an item (the pairing by item needs them all). */
export function suiteWithShots(suite: EvalSuite, target: SkillName, shots: readonly { prompt: string; completion: string }[]): EvalSuite {
  const probes = suite.probes.map((p) => {
    if (p.name !== target) return p;
    const shot = withFewShot(p, shots);
    if (shot.items.length !== p.items.length) throw new Error(`A shot of ${target} is an eval item: ${p.items.length - shot.items.length} items would be dropped.`);
    return shot;
  });
  return { ...suite, probes };
}

/** Tokens of each target eval prompt as the base's tokenizer counts them (no BOS: the Tiny World line format). */
export function promptTokensOf(suite: EvalSuite, target: SkillName, tokenizer: Pick<Tokenizer, 'encode'>): number[] {
  const probe = suite.probes.find((p) => p.name === target);
  if (!probe || probe.metric === 'perplexity') return [];
  return probe.items.map((i) => tokenizer.encode(i.prompt).length);
}

/** Refuses a prompt (with its answer and the newline that ends it) longer than the base's context, naming the fix. */
function checkFits(suite: EvalSuite, target: SkillName, tokenizer: Pick<Tokenizer, 'encode'>, context: number, k: number): void {
  const probe = suite.probes.find((p) => p.name === target);
  if (!probe || probe.metric !== 'exact_match') return;
  const longest = Math.max(...probe.items.map((i) => tokenizer.encode(i.prompt + i.target).length + 1));
  if (longest > context) {
    throw new ExperimentSpecError(
      `With ${k} shots the longest ${target} eval prompt needs ${longest} positions; the base's context holds ${context}: the eval would cut the shots from the left.`,
      'Lower the shots (the field names the largest k that fits), or pick a base with a longer context (the ctx-256 family).',
    );
  }
}

export interface PromptCellOptions {
  experimentId: string;
  suite: EvalSuite;
  target: SkillName;
  signal?: AbortSignal;
  onEval?: (point: CellEval) => void;
}

/** Scores the base with the cell's k shots (no training): one eval point at step 0. */
export async function runPromptCell(base: ExperimentBase, cell: Cell, options: PromptCellOptions): Promise<CellResult> {
  const started = performance.now();
  checkCancelled(options.signal);
  const k = cell.settings.shots ?? 0;
  const shots = shotsOf(cell.seed, options.target, k, evalTexts(options.suite));
  const suite = suiteWithShots(options.suite, options.target, shots);
  const model = createModel(base.config, base.weights);
  const timing: CellTiming = { steps: 0, trainMs: 0, evalPoints: 0, evalMs: 0, otherMs: 0 };
  const evals: CellEval[] = [];
  try {
    checkFits(suite, options.target, base.tokenizer, model.dims.maxPositions, k);
    const t0 = performance.now();
    const result = await evaluateSuite(evalModelOf(model), evalTokenizerOf(base.tokenizer), suite, { seed: 0, resamples: 1, signal: options.signal });
    const point: CellEval = {
      step: 0,
      scores: Object.fromEntries(result.probes.map((p) => [p.probe, headline(p).value])),
      items: Object.fromEntries(result.probes.map((p) => [p.probe, p.itemValues.map((v) => v.numerator)])),
    };
    evals.push(point);
    timing.evalPoints = 1;
    timing.evalMs = performance.now() - t0;
    options.onEval?.(point);
  } finally {
    model.dispose();
  }
  const prompting: PromptingRun = { shots: k, promptTokens: promptTokensOf(suite, options.target, base.tokenizer) };
  return { ...cellResultOf(base, cell, options.experimentId, { evals, losses: [], trainExamples: 0, started, timing }), trainDistinct: 0, prompting };
}
