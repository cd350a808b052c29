// Job: a run's privacy report: each inserted canary's exposure and extraction, and the loss and calibrated membership attacks.
import type { AttackSummary, CanaryReport, PrivacyReportInput, PrivacyReportProgress, PrivacyReportResult } from '../../src/contract';
import { createModel, restoreForInference, type LoraAdapter, type TrainerCheckpoint } from '../../src/engine/index';
import { attackResult, calibratedScores, lossAttackScores, measureExposures, measureExtraction, privacyModelOf, recordLosses, type AttackResult, type ExposureResult, type MiaRecord } from '../../src/engine/privacy';
import { decodeIds, encodeText } from '../../src/engine/tokenizers/char-vocab';
import { CheckpointError } from '../../src/engine/errors';
import { loadDataset, datasetRowChunks } from '../../src/storage/datasets';
import { latestCheckpoint, loadRun } from '../../src/storage/runs';
import type { DatasetRow } from '../../src/contract';
import { runBaseOf } from '../helpers/base-model';

/** Records per side of the membership attack. */
const MIA_RECORDS = 200;
const MIA_SEED = 1;

/** At most ~maxPoints of the curve, always keeping its ends. */
function thin(attack: AttackResult, maxPoints = 200): AttackSummary {
  const step = Math.max(1, Math.ceil(attack.roc.length / maxPoints));
  const roc = attack.roc.filter((_, i) => i % step === 0 || i === attack.roc.length - 1);
  return { auc: attack.auc, ci: attack.ci, tprAt1Fpr: attack.tprAt1Fpr, roc };
}

export async function privacyReportJob(input: PrivacyReportInput, signal: AbortSignal, onProgress: (p: PrivacyReportProgress) => void): Promise<PrivacyReportResult> {
  const run = await loadRun(input.runId);
  if (!run) throw new Error('The run was not found; pick another run.');
  const dataset = await loadDataset(run.datasetId);
  if (!dataset) throw new Error('The run’s dataset was deleted, so there is nothing to measure its leakage on.');
  const checkpoint = await latestCheckpoint(run.id);
  if (!checkpoint) throw new CheckpointError('This run has no checkpoint yet.', 'Train it for a few steps (a checkpoint is saved at the end), then open its privacy report again.');
  const base = await runBaseOf(run);
  const tokenizer = base.tokenizer
    ? { encode: (t: string) => base.tokenizer!.encode(t), decode: (ids: number[]) => base.tokenizer!.decode(ids) }
    : { encode: (t: string) => encodeText(t, run.vocab), decode: (ids: number[]) => decodeIds(ids, run.vocab) };

  // Members: trained-on rows (canaries aside); non-members: the held-out rows of the same dataset.
  const members: MiaRecord[] = [];
  const nonMembers: MiaRecord[] = [];
  const asRecord = (row: DatasetRow): MiaRecord | null => {
    const ex = base.encode(row);
    const from = ex.weights.findIndex((w) => w > 0);
    return from > 0 && ex.ids.length > from ? { ids: ex.ids, from } : null;
  };
  for await (const rows of datasetRowChunks(dataset)) {
    for (const row of rows) {
      if (row.tags?.includes('canary')) continue;
      const side = row.split === 'train' ? members : nonMembers;
      if (side.length >= MIA_RECORDS) continue;
      const record = asRecord(row);
      if (record) side.push(record);
    }
    if (members.length >= MIA_RECORDS && nonMembers.length >= MIA_RECORDS) break;
  }

  const model = createModel(base.setup.config, base.setup.weights ?? { seed: base.setup.initSeed });
  let lora: LoraAdapter | null = null;
  try {
    const canMia = members.length > 0 && nonMembers.length > 0;
    // The reference losses first: full fine-tuning overwrites the model's weights when its checkpoint is restored.
    const reference = privacyModelOf(model, null);
    const refM = canMia ? await recordLosses(reference, members, signal) : null;
    const refN = canMia ? await recordLosses(reference, nonMembers, signal) : null;
    lora = restoreForInference(model, checkpoint.state as TrainerCheckpoint);
    const tuned = privacyModelOf(model, lora);
    const canaries: CanaryReport[] = [];
    const list = dataset.canaries ?? [];
    // Canaries of one template are ranked from one scoring of its candidates; each shows that pass's time.
    const passes = new Map<string, { results: ExposureResult[]; ms: number }>();
    let done = 0;
    for (const template of new Set(list.map((c) => c.template))) {
      const mine = list.filter((c) => c.template === template);
      const started = performance.now();
      const results = await measureExposures(tuned, tokenizer, template, mine.map((c) => c.choices), {
        allowEstimate: input.allowEstimate,
        signal,
        onProgress: (d, total) => onProgress({ phase: 'canaries', done: done + (mine.length * d) / total, total: list.length }),
      });
      passes.set(template, { results, ms: performance.now() - started });
      done += mine.length;
    }
    for (const c of list) {
      const pass = passes.get(c.template)!;
      const exposure = pass.results[list.filter((x) => x.template === c.template).indexOf(c)];
      const extraction = await measureExtraction(tuned, tokenizer, c.template, c.choices);
      canaries.push({ id: c.id, template: c.template, secret: c.secret, repetitions: c.repetitions, exposure, extracted: extraction.extracted, emitted: extraction.emitted, rankMs: pass.ms });
    }
    let mia: PrivacyReportResult['mia'] = null;
    if (canMia) {
      onProgress({ phase: 'membership', done: 0, total: 1 });
      const ftM = await recordLosses(tuned, members, signal);
      const ftN = await recordLosses(tuned, nonMembers, signal);
      mia = {
        members: members.length,
        nonMembers: nonMembers.length,
        loss: thin(attackResult('loss', lossAttackScores(ftM), lossAttackScores(ftN), MIA_SEED)),
        calibrated: thin(attackResult('calibrated', calibratedScores(ftM, refM!), calibratedScores(ftN, refN!), MIA_SEED)),
      };
      onProgress({ phase: 'membership', done: 1, total: 1 });
    }
    return { tunedStep: checkpoint.step, canaries, mia };
  } finally {
    lora?.dispose();
    model.dispose();
  }
}
