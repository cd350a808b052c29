// Job: the forgotten records measured on each model of an erasure (before, exact retrain, gradient ascent): each forgotten
// canary's exposure and extraction beside never-inserted control canaries (their 95% prediction interval), each secret's shift from the
// base model against the controls' shifts (the calibrated comparison), and the loss attack on the forgotten rows.
import type { ErasureMeasure, ErasureMeasureInput, ErasureMeasureProgress, ExposureReading } from '../../src/contract';
import { createModel, restoreForInference, type LoraAdapter, type TrainerCheckpoint } from '../../src/engine/index';
import { aucOf, bootstrapAuc, controlInterval, lossAttackScores, measureExposures, measureExtraction, privacyModelOf, recordLosses, secretSpan, parseCanaryTemplate, shiftInterval, versusInterval, type ExposureResult, type MiaRecord } from '../../src/engine/privacy';
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
      const templates = [...new Set([...input.canaries, ...input.controls].map((c) => c.template))];
      const secretsOf = (template: string) => [...input.canaries.filter((c) => c.template === template), ...input.controls.filter((c) => c.template === template)];
      onProgress({ run: i, runs: input.runs.length, phase: 'exposure' });
      // The same secrets on the base (no adapter, or the base weights before a full fine-tune's are restored): a secret's
      // own prior cancels in the shift base → model, the calibrated comparison.
      const onBase = new Map<string, ExposureResult[]>();
      for (const template of templates) onBase.set(template, await measureExposures(reference, tokenizer, template, secretsOf(template).map((c) => c.choices), { allowEstimate: true, signal }));
      lora = restoreForInference(model, checkpoint.state as TrainerCheckpoint);
      const tuned = privacyModelOf(model, lora);
      // One scoring pass per template ranks its forgotten canaries and (for the first one's template) the controls; one
      // greedy decode from the template's prefix (the same for all its secrets) says which of them is emitted verbatim.
      const canaries: ErasureMeasure['canaries'] = [];
      const controls: ExposureReading[] = [];
      for (const template of templates) {
        const mine = input.canaries.filter((c) => c.template === template);
        const secrets = secretsOf(template);
        const results = await measureExposures(tuned, tokenizer, template, secrets.map((c) => c.choices), { allowEstimate: true, signal });
        const base = onBase.get(template)!;
        const parsed = parseCanaryTemplate(template);
        // Decoded as far as the longest secret reaches: greedy decoding's first tokens do not depend on how many follow.
        const longest = secrets.reduce((a, c) => (secretSpan(parsed, c.choices).length > secretSpan(parsed, a.choices).length ? c : a));
        const emitted = (await measureExtraction(tuned, tokenizer, template, longest.choices)).emitted;
        secrets.forEach((c, k) => {
          const e = results[k];
          const reading: ExposureReading = { template, repetitions: c.repetitions, exposure: e.exposure, rank: e.rank, candidates: e.candidates, method: e.method, extracted: emitted.startsWith(secretSpan(parsed, c.choices)), baseExposure: base[k].exposure };
          if (k < mine.length) canaries.push({ id: c.id, ...reading });
          else controls.push({ ...reading, repetitions: 0 });
        });
      }
      const interval = controlInterval(controls.map((c) => c.exposure));
      const shifts = shiftInterval(controls.map((c) => c.exposure), controls.map((c) => c.baseExposure!));
      const controlTemplate = input.controls[0]?.template;
      for (const c of canaries) {
        if (c.template !== controlTemplate) continue;
        if (interval) c.versusControls = versusInterval(c.exposure, interval);
        if (shifts) c.shiftVersusControls = versusInterval(c.exposure - c.baseExposure!, shifts);
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
      out.push({ role, runId: run.id, runName: run.name, step: checkpoint.step, canaries, control: controls[0] ?? null, controls, controlInterval: interval, controlShiftInterval: shifts, mia });
    } finally {
      lora?.dispose();
      model.dispose();
    }
  }
  return out;
}
