// Runs one Distillation cell for real: a teacher of known accuracy answers the cell's training prompts, a LoRA student is fine-tuned on those answers, and on held-out items the student's, the teacher's and the gold answers are compared.
import { tokenizeRecord } from '../../data/tokenize-record';
import { generateBatch } from '../../generate/generate-batch';
import type { LoraAdapter } from '../../lora/adapter';
import { createModel, type CausalLM } from '../../models/causal-lm';
import { createTrainer } from '../../train/trainer';
import type { Tokenizer } from '../../tokenizers/tokenizer';
import type { SkillName } from '../../world';
import type { ExperimentBase, CellRunOptions } from '../cell-runner';
import { cellExamples } from '../cell-data';
import { cellResultOf, trainCellSteps } from '../cell-steps';
import { cellTrainOptions } from '../cell-training';
import { evalTexts } from '../suite';
import type { Cell, CellEval, CellResult, CellTiming, DistillEval, DistillSpec } from '../types';
import { CHANCE_KEY, REPEATS_KEY, TEACHER_KEY } from './keys';
import { teacherAnswer, teacherWrongAnswer } from './teacher';

/** The training rows of one cell: the seed's gold prompts, each answered by the teacher (share = settings.labelNoise). */
export function distillTrainingRows(cell: Cell, target: SkillName, spec: DistillSpec, evalSet: ReadonlySet<string>): { prompt: string; completion: string; teacherWrong: boolean }[] {
  // The gold pool: the cell's clean examples, never label-noised (labelNoise is the teacher's share here).
  const gold = cellExamples({ ...cell.settings, labelNoise: 0 }, cell.seed, target, evalSet);
  return gold.map((e) => {
    const answer = e.completion.replace(/\n$/, '');
    const t = teacherAnswer(target, e.prompt, answer, cell.settings.labelNoise, spec.teacherSeed);
    return { prompt: e.prompt, completion: `${t.answer}\n`, teacherWrong: t.wrong };
  });
}

/** Per-item comparison of one eval point (items in the probe's order), and its headline shares. */
export function distillScores(target: string, point: DistillEval): { scores: Record<string, number>; items: Record<string, number[]> } {
  const n = point.references.length;
  const student = point.student.map((s, i): number => (s === point.references[i] ? 1 : 0));
  const teacher = point.teacher.map((t, i): number => (t === point.references[i] ? 1 : 0));
  const wrongItems = teacher.map((t, i) => (t === 0 ? i : -1)).filter((i) => i >= 0);
  const rightItems = teacher.map((t, i) => (t === 1 ? i : -1)).filter((i) => i >= 0);
  const share = (items: number[], hit: (i: number) => boolean) => (items.length ? items.filter(hit).length / items.length : NaN);
  const scores: Record<string, number> = { [target]: student.reduce((a, b) => a + b, 0) / n, [TEACHER_KEY]: teacher.reduce((a, b) => a + b, 0) / n };
  // A rate over no items (no teacher error to repeat, or no right answer) is left out rather than stored as NaN.
  const repeats = share(wrongItems, (i) => point.student[i] === point.teacher[i]);
  const chance = share(rightItems, (i) => point.student[i] === point.teacherWrong[i]);
  if (!Number.isNaN(repeats)) scores[REPEATS_KEY] = repeats;
  if (!Number.isNaN(chance)) scores[CHANCE_KEY] = chance;
  return { scores, items: { [target]: student, [TEACHER_KEY]: teacher } };
}

/** Greedy answers of the model (with its adapter) to `prompts`, batched, cut at the line's end. */
async function answers(model: CausalLM, lora: LoraAdapter | null, tokenizer: Tokenizer, prompts: string[], maxNewTokens: number): Promise<string[]> {
  const newline = tokenizer.encode('\n')[0];
  const results = await generateBatch(model, prompts.map((p) => tokenizer.encode(p)), { maxNewTokens, seeds: prompts.map(() => 0), stopTokenIds: [newline], lora, maxBatch: 64 });
  return results.map((r) => tokenizer.decode(r.finishReason === 'stop_token' ? r.ids.slice(0, -1) : r.ids));
}

export async function runDistillCell(base: ExperimentBase, cell: Cell, spec: DistillSpec, options: CellRunOptions): Promise<CellResult> {
  const started = performance.now();
  const target = options.target;
  const rows = distillTrainingRows(cell, target, spec, evalTexts(options.suite));
  const probe = options.suite.probes.find((p) => p.name === target);
  if (!probe || probe.metric !== 'exact_match') throw new Error(`internal: the Distillation suite has no exact-match probe of ${target}`);
  const items = probe.items;
  // The teacher on the held-out items: the same rule, so its errors there are the ones a student could repeat.
  const references = items.map((i) => i.target);
  const teacherWrong = items.map((i) => teacherWrongAnswer(target, i.prompt, i.target, spec.teacherSeed));
  const teacher = items.map((i) => teacherAnswer(target, i.prompt, i.target, cell.settings.labelNoise, spec.teacherSeed).answer);
  const model = createModel(base.config, base.weights);
  const maxSeqLen = model.dims.maxPositions;
  const examples = rows.map((r, i) => tokenizeRecord({ kind: 'prompt-completion', line: i + 1, prompt: r.prompt, completion: r.completion }, base.tokenizer, { maxSeqLen, appendEos: false }));
  const trainer = createTrainer(model, examples, cellTrainOptions(cell.settings, cell.seed, maxSeqLen));
  const longest = Math.max(...[...references, ...teacherWrong].map((t) => base.tokenizer.encode(t).length));
  const evals: CellEval[] = [];
  const losses: number[] = [];
  const timing: CellTiming = { steps: 0, trainMs: 0, evalPoints: 0, evalMs: 0, otherMs: performance.now() - started };
  const score = async (step: number) => {
    const t0 = performance.now();
    const student = await answers(model, trainer.lora, base.tokenizer, items.map((i) => i.prompt), longest + 4);
    const point: DistillEval = { references, teacher, student, teacherWrong };
    evals.push({ step, ...distillScores(target, point), distill: point });
    timing.evalPoints++;
    timing.evalMs += performance.now() - t0;
    options.onEval?.(evals[evals.length - 1]);
  };
  try {
    await trainCellSteps(trainer, cell.settings.steps, options, timing, losses, score);
  } finally {
    trainer.dispose();
    model.dispose();
  }
  return {
    ...cellResultOf(base, cell, options.experimentId, { evals, losses, trainExamples: examples.length, started, timing }),
    trainDistinct: new Set(rows.map((r) => r.prompt)).size,
  };
}
