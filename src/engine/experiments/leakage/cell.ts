// Runs one Leakage cell for real: fine-tunes the base on Tiny World lines plus canaries, and at each checkpoint measures
// every canary's exposure and extraction and the membership attacks, all within the one training run.
import { tokenizeRecord } from '../../data/tokenize-record';
import type { TextRecord } from '../../data/record';
import { createModel } from '../../models/causal-lm';
import { createTrainer, type Trainer } from '../../train/trainer';
import type { CanaryLineage } from '../../privacy/canary-insert';
import { measureExposures, measureExtraction, type ExposureResult } from '../../privacy/exposure';
import { aucOf, calibratedScores, lossAttackScores, recordLosses, type MiaRecord } from '../../privacy/mia';
import { privacyModelOf } from '../../privacy/privacy-model';
import { candidateCount, parseCanaryTemplate } from '../../privacy/canary-template';
import type { ExperimentBase, CellRunOptions } from '../cell-runner';
import { cellResultOf, checkCancelled, trainCellSteps } from '../cell-steps';
import { cellTrainOptions } from '../cell-training';
import type { Cell, CellEval, CellResult, CellTiming, CanaryPoint, LeakageSpec } from '../types';
import { leakageData } from './data';
import { exposureKey, extractedKey, CONTROL_KEY, MIA_LOSS_KEY, MIA_CALIBRATED_KEY } from './keys';

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The headline scores of one checkpoint: mean exposure and extraction per repetition count, the controls, both AUCs. */
export function leakageScores(canaries: readonly CanaryPoint[], loss: { members: number[]; nonMembers: number[] }, calibrated: { members: number[]; nonMembers: number[] }): { scores: Record<string, number>; items: Record<string, number[]> } {
  const scores: Record<string, number> = {};
  const items: Record<string, number[]> = {};
  const counts = [...new Set(canaries.map((c) => c.repetitions))];
  for (const r of counts) {
    const group = canaries.filter((c) => c.repetitions === r);
    const key = r === 0 ? CONTROL_KEY : exposureKey(r);
    items[key] = group.map((c) => c.exposure);
    scores[key] = mean(items[key]);
    if (r > 0) scores[extractedKey(r)] = mean(group.map((c) => (c.extracted ? 1 : 0)));
  }
  scores[MIA_LOSS_KEY] = aucOf(loss.members, loss.nonMembers);
  scores[MIA_CALIBRATED_KEY] = aucOf(calibrated.members, calibrated.nonMembers);
  return { scores, items };
}

export async function runLeakageCell(base: ExperimentBase, cell: Cell, leakage: LeakageSpec, options: CellRunOptions): Promise<CellResult> {
  const started = performance.now();
  // The data first: a refused size throws before a model is built (nothing to dispose).
  const data = leakageData(cell.settings, cell.seed, leakage);
  const model = createModel(base.config, base.weights);
  const maxSeqLen = model.dims.maxPositions;
  // The base models' line format: no BOS, no EOS; every token of a line is trained on (the canaries' too).
  const tokenize = (r: TextRecord) => tokenizeRecord(r, base.tokenizer, { maxSeqLen, appendEos: false });
  const examples = data.records.map(tokenize);
  const miaRecord = (r: TextRecord): MiaRecord => {
    const ex = tokenize(r);
    return { ids: ex.ids, from: Math.max(1, ex.weights.findIndex((w) => w > 0)) };
  };
  const members = data.members.map(miaRecord);
  const nonMembers = data.nonMembers.map(miaRecord);
  const tokenizer = { encode: (t: string) => base.tokenizer.encode(t), decode: (ids: number[]) => base.tokenizer.decode(ids) };
  // Every canary's template has the same slot (only its subject differs), so one |R| for the cell.
  const candidates = candidateCount(parseCanaryTemplate(data.canaries[0].template));
  const timing: CellTiming = { steps: 0, trainMs: 0, evalPoints: 0, evalMs: 0, otherMs: 0 };
  const evals: CellEval[] = [];
  const losses: number[] = [];
  let trainer: Trainer | null = null;
  let refM: number[] = [];
  let refN: number[] = [];
  const score = async (step: number, current: Trainer) => {
    const t0 = performance.now();
    const tuned = privacyModelOf(model, current.lora);
    const ftM = Array.from(await recordLosses(tuned, members, options.signal));
    const ftN = Array.from(await recordLosses(tuned, nonMembers, options.signal));
    const loss = { members: Array.from(lossAttackScores(ftM)), nonMembers: Array.from(lossAttackScores(ftN)) };
    const calibrated = { members: Array.from(calibratedScores(ftM, refM)), nonMembers: Array.from(calibratedScores(ftN, refN)) };
    const canaries: CanaryPoint[] = [];
    // Before the first step no canary has been seen: every one is a control, so exposure is measured from the first checkpoint on.
    if (step > 0) {
      // Canaries and controls of one template are ranked from one scoring of its candidates, not one each.
      const all = [...data.canaries, ...data.controls];
      const exposures = new Map<CanaryLineage, ExposureResult>();
      for (const template of new Set(all.map((c) => c.template))) {
        checkCancelled(options.signal);
        const mine = all.filter((c) => c.template === template);
        const results = await measureExposures(tuned, tokenizer, template, mine.map((c) => c.choices), { signal: options.signal });
        mine.forEach((c, k) => exposures.set(c, results[k]));
      }
      for (const c of all) {
        const exposure = exposures.get(c)!;
        const extraction = await measureExtraction(tuned, tokenizer, c.template, c.choices);
        canaries.push({ repetitions: c.repetitions, exposure: exposure.exposure, rank: exposure.rank, extracted: extraction.extracted });
      }
    }
    const { scores, items } = leakageScores(canaries, loss, calibrated);
    const epoch = (step * cell.settings.batchSize) / examples.length;
    const point: CellEval = { step, scores, items, leakage: { canaries, candidates, mia: { loss, calibrated }, epoch } };
    evals.push(point);
    timing.evalPoints++;
    timing.evalMs += performance.now() - t0;
    options.onEval?.(point);
  };
  try {
    // The calibrated attack's reference: the base before any step (for LoRA the same as the adapter switched off).
    const reference = privacyModelOf(model, null);
    refM = Array.from(await recordLosses(reference, members, options.signal));
    refN = Array.from(await recordLosses(reference, nonMembers, options.signal));
    trainer = createTrainer(model, examples, cellTrainOptions(cell.settings, cell.seed, maxSeqLen));
    await score(0, trainer);
    const training = trainer;
    await trainCellSteps(training, cell.settings.steps, options, timing, losses, (step) => score(step, training));
  } finally {
    trainer?.dispose();
    model.dispose();
  }
  return cellResultOf(base, cell, options.experimentId, { evals, losses, trainExamples: examples.length, started, timing });
}
