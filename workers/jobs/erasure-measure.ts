// Job: the forgotten records measured on each model of an erasure (before, exact retrain, gradient ascent): each forgotten
// canary's exposure and extraction beside never-inserted control canaries (their 95% interval), and the loss attack on the forgotten rows.
import type { ErasureMeasure, ErasureMeasureInput, ErasureMeasureProgress, ExposureReading } from '../../src/contract';
import { createModel, restoreForInference, type LoraAdapter, type TrainerCheckpoint } from '../../src/engine/index';
import { aucOf, bootstrapAuc, controlInterval, lossAttackScores, measureExposures, measureExtraction, privacyModelOf, recordLosses, type CanaryLineage, type ExposureResult, type MiaRecord } from '../../src/engine/privacy';
import { decodeIds, encodeText } from '../../src/engine/tokenizers/char-vocab';
import { CheckpointError } from '../../src/engine/errors';
import { datasetRowChunks, loadDataset } from '../../src/storage/datasets';
import { latestCheckpoint, loadRun } from '../../src/storage/runs';
import type { DatasetRow } from '../../src/contract';
import { runBaseOf } from '../helpers/base-model';

/** Held-out rows the forgotten rows are compared with (the attack's non-members). */
const HELD_OUT = 200;
const SEED = 1;

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

export async function erasureMeasureJob(input: ErasureMeasureInput, signal: AbortSignal, onProgress: (p: ErasureMeasureProgress) => void): Promise<ErasureMeasure[]> {
  const dataset = await loadDataset(input.datasetId);
  if (!dataset) throw new Error('The dataset the records were forgotten from is gone, so they cannot be measured; measure before deleting it.');
  const forgottenIds = new Set(input.removedRowIds);
  const out: ErasureMeasure[] = [];
  for (const [i, { role, runId }] of input.runs.entries()) {
    const run = await loadRun(runId);
    if (!run) throw new Error(`The run to measure (${role}) was deleted.`);
    const checkpoint = await latestCheckpoint(run.id);
    if (!checkpoint) throw new CheckpointError(`“${run.name}” has no checkpoint to measure.`, 'Let it train to its end (a checkpoint is saved at the last step), then measure again.');
    const base = await runBaseOf(run);
    const tokenizer = base.tokenizer
      ? { encode: (t: string) => base.tokenizer!.encode(t), decode: (ids: number[]) => base.tokenizer!.decode(ids) }
      : { encode: (t: string) => encodeText(t, run.vocab), decode: (ids: number[]) => decodeIds(ids, run.vocab) };
    // Forgotten rows (whatever their split) against held-out rows that were never trained on (canaries and forgotten aside).
    const forgotten: MiaRecord[] = [];
    const heldOut: MiaRecord[] = [];
    const asRecord = (row: DatasetRow): MiaRecord | null => {
      const ex = base.encode(row);
      const from = Math.max(1, ex.weights.findIndex((w) => w > 0));
      return ex.ids.length > from ? { ids: ex.ids, from } : null;
    };
    const seenForgotten = new Set<string>();
    for await (const rows of datasetRowChunks(dataset)) {
      for (const row of rows) {
        if (forgottenIds.has(row.id)) {
          // One record per distinct forgotten record: a canary repeated 8 times is one secret.
          if (seenForgotten.has(row.id)) continue;
          seenForgotten.add(row.id);
          const r = asRecord(row);
          if (r) forgotten.push(r);
        } else if (row.split !== 'train' && !row.tags?.includes('canary') && heldOut.length < HELD_OUT) {
          const r = asRecord(row);
          if (r) heldOut.push(r);
        }
      }
    }
    const model = createModel(base.setup.config, base.setup.weights ?? { seed: base.setup.initSeed });
    let lora: LoraAdapter | null = null;
    try {
      const reference = privacyModelOf(model, null);
      const refLoss = forgotten.length ? await recordLosses(reference, forgotten, signal) : null;
      lora = restoreForInference(model, checkpoint.state as TrainerCheckpoint);
      const tuned = privacyModelOf(model, lora);
      onProgress({ run: i, runs: input.runs.length, phase: 'exposure' });
      // One scoring pass per template ranks its forgotten canaries and (for the first one's template) the controls.
      const reading = async (c: CanaryLineage, e: ExposureResult): Promise<ExposureReading> => {
        const x = await measureExtraction(tuned, tokenizer, c.template, c.choices);
        return { template: c.template, repetitions: c.repetitions, exposure: e.exposure, rank: e.rank, candidates: e.candidates, method: e.method, extracted: x.extracted };
      };
      const canaries: ErasureMeasure['canaries'] = [];
      const controls: ExposureReading[] = [];
      for (const template of new Set([...input.canaries, ...input.controls].map((c) => c.template))) {
        const mine = input.canaries.filter((c) => c.template === template);
        const theirs = input.controls.filter((c) => c.template === template);
        const results = await measureExposures(tuned, tokenizer, template, [...mine, ...theirs].map((c) => c.choices), { allowEstimate: true, signal });
        for (const [k, c] of mine.entries()) canaries.push({ id: c.id, ...(await reading(c, results[k])) });
        for (const [k, c] of theirs.entries()) controls.push({ ...(await reading(c, results[mine.length + k])), repetitions: 0 });
      }
      const interval = controlInterval(controls.map((c) => c.exposure));
      const controlTemplate = input.controls[0]?.template;
      for (const c of canaries) {
        if (interval && c.template === controlTemplate) c.versusControls = c.exposure > interval.high ? 'above' : c.exposure < interval.low ? 'below' : 'within';
      }
      onProgress({ run: i, runs: input.runs.length, phase: 'membership' });
      let mia: ErasureMeasure['mia'] = null;
      if (forgotten.length && heldOut.length) {
        const lossF = await recordLosses(tuned, forgotten, signal);
        const lossH = await recordLosses(tuned, heldOut, signal);
        const [sF, sH] = [lossAttackScores(lossF), lossAttackScores(lossH)];
        mia = {
          forgotten: forgotten.length,
          heldOut: heldOut.length,
          forgottenLoss: mean(lossF),
          heldOutLoss: mean(lossH),
          calibrated: refLoss ? mean(Array.from(lossF, (l, k) => l - refLoss[k])) : null,
          auc: aucOf(sF, sH),
          ci: bootstrapAuc(sF, sH, SEED),
        };
      }
      out.push({ role, runId: run.id, runName: run.name, step: checkpoint.step, canaries, control: controls[0] ?? null, controls, controlInterval: interval, mia });
    } finally {
      lora?.dispose();
      model.dispose();
    }
  }
  return out;
}
