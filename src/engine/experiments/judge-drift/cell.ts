// One Judge drift cell (one seed): build a biased likelihood judge, then run rounds of student samples → judge picks → DPO, beside the same loop with gold preferences.
import { tokenizeRecord } from '../../data/tokenize-record';
import type { TokenizedExample } from '../../data/example';
import type { PreferenceRecord } from '../../data/record';
import { greedyPromptIds } from '../../eval/eval-model';
import type { GenerationItem } from '../../eval/types';
import { skillProbe } from '../../eval/tiny-world-suite';
import { generateBatch } from '../../generate/generate-batch';
import { LoraAdapter } from '../../lora/adapter';
import type { LoraConfig } from '../../lora/config';
import { createModel } from '../../models/causal-lm';
import type { WeightMap } from '../../models/config';
import { engineLikelihoodJudge } from '../../teacher/engine-likelihood';
import type { LikelihoodJudge } from '../../teacher/engine-judge';
import { createTrainer } from '../../train/trainer';
import { ExperimentSpecError } from '../../errors';
import { defaultTrainOptions, type TrainOptions } from '../../train/options';
import { generateWorldDataset } from '../../world';
import type { ExperimentBase } from '../cell-runner';
import { cellResultOf, checkCancelled, trainCellSteps } from '../cell-steps';
import type { Cell, CellEval, CellResult, CellTiming } from '../types';
import { DRIFT_ARMS, driftKey, JUDGE_MODEL_EXACT, JUDGE_MODEL_EXACT_CORRUPTED, type DriftArm, type JudgeDriftSpec } from './spec';

/** Eval items: the skill's held-out half, the same in every cell and round (seed fixed, as every preset's eval items are). */
export const DRIFT_EVAL_SEED = 4242;
const STOP = '\n';

export interface DriftCellOptions {
  experimentId: string;
  evalItems: number;
  signal?: AbortSignal;
  onStep?: (step: number, loss: number, timing: CellTiming) => void;
  onEval?: (point: CellEval) => void;
}

/** The skill's train rows with every `from` label replaced by `to`: what the biased judge is fine-tuned on. */
export function corruptedRows(spec: JudgeDriftSpec, size: number, seed: number): { prompt: string; completion: string }[] {
  return generateWorldDataset({ mix: { [spec.skill]: 1 }, size, split: 'train', seed }).examples.map((e) => ({
    prompt: e.prompt,
    completion: e.completion.replace(/\n$/, '') === spec.corrupt.from ? `${spec.corrupt.to}\n` : e.completion,
  }));
}

/** The prompts of round `round` (fresh train-split prompts, the same in both arms). */
function roundPrompts(spec: JudgeDriftSpec, seed: number, round: number) {
  return generateWorldDataset({ mix: { [spec.skill]: 1 }, size: spec.prompts, split: 'train', seed: 1000 * seed + round }).examples;
}

/** The round-0 student's gold SFT rows (as many as the judge's, from another seed). */
function studentRows(spec: JudgeDriftSpec, seed: number) {
  return generateWorldDataset({ mix: { [spec.skill]: 1 }, size: spec.judgeTrainSize, split: 'train', seed: 8000 + seed }).examples;
}

/** Refuses a cell whose judge rows or round prompts would include an eval item (they are drawn from the skill's train half, so none should). */
export function checkDriftData(spec: JudgeDriftSpec, seed: number, evalItems: number): void {
  const evalPrompts = new Set((skillProbe(spec.skill, evalItems, DRIFT_EVAL_SEED).items as GenerationItem[]).map((it) => it.prompt));
  const prompts = [...corruptedRows(spec, spec.judgeTrainSize, 7000 + seed), ...studentRows(spec, seed), ...Array.from({ length: spec.rounds }, (_, r) => roundPrompts(spec, seed, r + 1)).flat()].map((e) => e.prompt);
  const leaked = prompts.find((p) => evalPrompts.has(p));
  if (leaked !== undefined) throw new ExperimentSpecError(`Judge drift seed ${seed}: the training prompt “${leaked.trim()}” is also an eval item.`, 'Change the seed or the eval size; a prompt the judge or the student trained on cannot measure them.');
}

function loraOf(rank: number): LoraConfig {
  return { r: rank, lora_alpha: 2 * rank, lora_dropout: 0, target_modules: ['c_attn', 'c_proj', 'c_fc'] };
}

export async function runJudgeDriftCell(base: ExperimentBase, cell: Cell, spec: JudgeDriftSpec, options: DriftCellOptions): Promise<CellResult> {
  const started = performance.now();
  const timing: CellTiming = { steps: 0, trainMs: 0, evalPoints: 0, evalMs: 0, otherMs: 0 };
  const losses: number[] = [];
  const model = createModel(base.config, base.weights);
  const { tokenizer } = base;
  const maxSeqLen = model.dims.maxPositions;
  const stopId = tokenizer.encode(STOP)[0];
  const lora = loraOf(cell.settings.rank);
  const trainOptions = (steps: number, extra: Partial<TrainOptions>): TrainOptions => ({
    ...defaultTrainOptions,
    lora,
    lr: cell.settings.lr,
    batchSize: cell.settings.batchSize,
    maxSteps: steps,
    warmupSteps: 0,
    seed: cell.seed,
    maxSeqLen,
    ...extra,
  });
  /** Trains `examples` for `steps` from `initial` (null: a fresh adapter) and returns the adapter's weights. */
  const train = async (examples: TokenizedExample[], steps: number, extra: Partial<TrainOptions>, initial: WeightMap | null): Promise<WeightMap> => {
    const trainer = createTrainer(model, examples, trainOptions(steps, { ...extra, ...(initial && { initialAdapter: initial }) }));
    try {
      // No evals inside a phase; progress counts every step of the cell (all phases), hence timing.steps.
      const phase = { signal: options.signal, evalEvery: 0, onStep: (_step: number, loss: number, t: CellTiming) => options.onStep?.(t.steps, loss, t) };
      await trainCellSteps(trainer, steps, phase, timing, losses, async () => {});
      return (await trainer.checkpoint()).trainable;
    } finally {
      trainer.dispose();
    }
  };
  const adapterOf = (weights: WeightMap | null) => (weights ? LoraAdapter.fromWeights(model.linearModules, lora, weights) : null);

  const probe = skillProbe(spec.skill, options.evalItems, DRIFT_EVAL_SEED);
  const items = probe.items as GenerationItem[];
  const corrupted = items.map((it) => it.target === spec.corrupt.from);
  /** Greedy answers to every eval item, decoded in batches (items of one answer budget, then of one prompt length, together): the same tokens as one by one. */
  const greedy = async (adapter: LoraAdapter | null): Promise<string[]> => {
    const out = new Array<string>(items.length);
    const byBudget = new Map<number, number[]>();
    items.forEach((it, i) => {
      const budget = tokenizer.encode(it.target).length + 2;
      byBudget.set(budget, [...(byBudget.get(budget) ?? []), i]);
    });
    for (const [budget, indices] of byBudget) {
      checkCancelled(options.signal);
      const prompts = indices.map((i) => greedyPromptIds(tokenizer.encode(items[i].prompt), budget, maxSeqLen));
      const results = await generateBatch(model, prompts, { maxNewTokens: budget, temperature: 0, seeds: indices.map(() => 0), stopTokenIds: [stopId], lora: adapter, vocabLimit: tokenizer.vocabSize, signal: options.signal });
      results.forEach((r, k) => (out[indices[k]] = tokenizer.decode(r.finishReason === 'stop_token' ? r.ids.slice(0, -1) : r.ids)));
    }
    return out;
  };
  const exactOf = (answers: string[]) => answers.map((a, i) => (a.trim() === items[i].target.trim() ? 1 : 0));
  const split = (values: number[]) => ({ corrupted: values.filter((_, i) => corrupted[i]), other: values.filter((_, i) => !corrupted[i]) });

  let judgeAdapter: LoraAdapter | null = null;
  const evals: CellEval[] = [];
  try {
    // The judge: the base fine-tuned on the corrupted mapping, then asked which answer it finds likelier.
    const judgeRows = corruptedRows(spec, spec.judgeTrainSize, 7000 + cell.seed);
    const judgeExamples = judgeRows.map((r, i) => tokenizeRecord({ kind: 'prompt-completion', line: i + 1, ...r }, tokenizer, { maxSeqLen, appendEos: false }));
    judgeAdapter = adapterOf(await train(judgeExamples, spec.judgeSteps, {}, null));
    const judge: LikelihoodJudge = engineLikelihoodJudge({
      model,
      lora: judgeAdapter,
      tokenizer,
      producer: { engine: 'engine', model: `${base.id} + LoRA on ${spec.skill} with ${spec.corrupt.from}→${spec.corrupt.to}`, sampling: { temperature: 0, maxNewTokens: 0 }, seed: cell.seed },
      scoring: spec.scoring,
      answerSuffix: STOP,
    });

    // The round-0 student: the base fine-tuned on gold rows of the skill (another seed's rows than the judge's).
    const studentExamples = studentRows(spec, cell.seed).map((e, i) => tokenizeRecord({ kind: 'prompt-completion', line: i + 1, prompt: e.prompt, completion: e.completion }, tokenizer, { maxSeqLen, appendEos: false }));
    const student0 = spec.studentSteps > 0 ? await train(studentExamples, spec.studentSteps, {}, null) : null;

    const t0 = performance.now();
    const judgeModelExact = exactOf(await greedy(judgeAdapter));
    const start0 = adapterOf(student0);
    let startAnswers: string[];
    try {
      startAnswers = await greedy(start0);
    } finally {
      start0?.dispose();
    }
    /** Ground truth and the judge's opinion of a student: exact match, and the judge's win rate of its answers over the round-0 student's (ties half). */
    const measure = async (answers: string[]) => {
      const verdicts = await judge.pairwise(items.map((it, i) => ({ prompt: it.prompt, a: startAnswers[i], b: answers[i] })), { signal: options.signal });
      return { exact: exactOf(answers), judge: verdicts.map((v) => (v.winner === 'B' ? 1 : v.winner === 'A' ? 0 : 0.5)) };
    };
    const point = (round: number, byArm: Record<DriftArm, { exact: number[]; judge: number[] }>, extra: Record<string, number[]> = {}): CellEval => {
      const itemsOf: Record<string, number[]> = { ...extra };
      for (const arm of DRIFT_ARMS) {
        const { exact, judge: j } = byArm[arm];
        const parts = split(exact);
        Object.assign(itemsOf, { [driftKey(arm, 'exact')]: exact, [driftKey(arm, 'judge')]: j, [driftKey(arm, 'exact-corrupted')]: parts.corrupted, [driftKey(arm, 'exact-other')]: parts.other });
      }
      const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
      return { step: round, scores: Object.fromEntries(Object.entries(itemsOf).map(([k, v]) => [k, mean(v)])), items: itemsOf };
    };
    const start = await measure(startAnswers);
    evals.push(point(0, { judge: start, gold: start }, { [JUDGE_MODEL_EXACT]: judgeModelExact, [JUDGE_MODEL_EXACT_CORRUPTED]: split(judgeModelExact).corrupted }));
    timing.evalPoints++;
    timing.evalMs += performance.now() - t0;
    options.onEval?.(evals[0]);

    const students: Record<DriftArm, WeightMap | null> = { judge: student0, gold: student0 };
    for (let round = 1; round <= spec.rounds; round++) {
      const prompts = roundPrompts(spec, cell.seed, round);
      const measured = {} as Record<DriftArm, { exact: number[]; judge: number[] }>;
      /** What the round trained on: pairs per arm, and per pair on a `from` prompt whether its chosen answer is `to` (the bias). */
      const trained: Record<string, number[]> = {};
      for (const arm of DRIFT_ARMS) {
        const student = adapterOf(students[arm]);
        try {
          // The student's samples: n answers per prompt (the same sampling seeds in both arms), decoded in batches, each row with its own seed.
          checkCancelled(options.signal);
          const rows = prompts.flatMap((e, p) => Array.from({ length: spec.samples }, (_, s) => ({ ids: tokenizer.encode(e.prompt), seed: cell.seed * 1e6 + round * 1e4 + p * 100 + s })));
          const outs = await generateBatch(model, rows.map((r) => r.ids), { maxNewTokens: 12, temperature: spec.temperature, seeds: rows.map((r) => r.seed), stopTokenIds: [stopId], lora: student, vocabLimit: tokenizer.vocabSize, signal: options.signal });
          const samples: string[][] = prompts.map((_, p) => outs.slice(p * spec.samples, (p + 1) * spec.samples).map((o) => tokenizer.decode(o.ids.filter((t) => t !== stopId))));
          const pairs: PreferenceRecord[] = [];
          if (arm === 'judge') {
            // The judge's picks: its likeliest sample chosen over each other distinct sample of the prompt.
            const scored = await judge.likelihoods(samples.flatMap((row, p) => row.map((answer) => ({ prompt: prompts[p].prompt, answer }))), { signal: options.signal });
            const value = (k: number) => (spec.scoring === 'sum' ? scored[k].sum : scored[k].mean);
            samples.forEach((row, p) => {
              const best = row.reduce((b, _, s) => (value(p * spec.samples + s) > value(p * spec.samples + b) ? s : b), 0);
              for (const rejected of new Set(row)) if (rejected !== row[best]) pairs.push({ kind: 'preference', line: pairs.length + 1, prompt: prompts[p].prompt, chosen: row[best] + STOP, rejected: rejected + STOP });
            });
          } else {
            // Gold: the exact answer chosen over each distinct wrong sample of the prompt (none wrong: no pair).
            samples.forEach((row, p) => {
              const right = prompts[p].completion.replace(/\n$/, '');
              for (const wrong of new Set(row)) if (wrong.trim() !== right) pairs.push({ kind: 'preference', line: pairs.length + 1, prompt: prompts[p].prompt, chosen: right + STOP, rejected: wrong + STOP });
            });
          }
          trained[`${arm}/pairs`] = [pairs.length];
          trained[`${arm}/chosen-biased`] = pairs.filter((r) => prompts.find((e) => e.prompt === r.prompt)!.completion.replace(/\n$/, '') === spec.corrupt.from).map((r) => (String(r.chosen).trim() === spec.corrupt.to ? 1 : 0));
          if (pairs.length > 0 && spec.objective === 'dpo') {
            const examples = pairs.map((r) => tokenizeRecord(r, tokenizer, { maxSeqLen, appendEos: false }));
            // The reference is the round's starting student (its adapter frozen), unless the spec asks for the base.
            const reference = spec.dpoReference === 'start' && students[arm] ? { dpoReferenceAdapter: students[arm]! } : {};
            students[arm] = await train(examples, spec.dpoSteps, { objective: 'dpo', dpoBeta: spec.beta, lr: spec.dpoLr, ...reference }, students[arm]);
          } else if (pairs.length > 0) {
            // Best-of-n: SFT on each prompt's chosen answer once (the judge's pick, or the exact answer where one was sampled wrong).
            const picked = new Map(pairs.map((r) => [r.prompt as string, r.chosen as string]));
            const examples = [...picked].map(([prompt, completion], i) => tokenizeRecord({ kind: 'prompt-completion', line: i + 1, prompt, completion }, tokenizer, { maxSeqLen, appendEos: false }));
            students[arm] = await train(examples, spec.dpoSteps, {}, students[arm]);
          }
        } finally {
          student?.dispose();
        }
        const t1 = performance.now();
        const after = adapterOf(students[arm]);
        try {
          measured[arm] = await measure(await greedy(after));
        } finally {
          after?.dispose();
        }
        timing.evalMs += performance.now() - t1;
      }
      evals.push(point(round, measured, trained));
      timing.evalPoints++;
      options.onEval?.(evals[evals.length - 1]);
    }
  } finally {
    judgeAdapter?.dispose();
    model.dispose();
  }
  return { ...cellResultOf(base, cell, options.experimentId, { evals, losses, trainExamples: spec.judgeTrainSize, started, timing }) };
}

