// Job: a finished run as a download: PEFT adapter zip (with lineage), merged weights in the base layout, or a TRL scale-out bundle.
import { preferenceSides } from '../../src/engine/data/preference';
import type { RunExportKind, RunExportProgress, RunExportResult } from '../../src/contract';
import { JobCancelledError, RunExportError } from '../../src/engine/errors';
import { LoraAdapter } from '../../src/engine/lora/adapter';
import type { LoraConfig } from '../../src/engine/lora/config';
import { createModel } from '../../src/engine/models/causal-lm';
import { exportPeftAdapter, mergedCheckpointFiles, scaleOutFiles, zipBundle, type FileBundle, type LineageInput, type LineageManifest } from '../../src/engine/peft';
import { datasetRowChunks, loadDataset } from '../../src/storage/datasets';
import { rowRecord } from '../../src/storage/dataset-rows';
import { loadRun } from '../../src/storage/runs';
import type { DatasetRecord, DatasetRow, RunRecord } from '../../src/contract';
import { scaleOutSettingsOf } from '../../src/engine/train/settings';
import { modelSetupOf } from '../helpers/model-setup';
import { peftBaseOf, type PeftBase } from '../helpers/peft-base';
import { tunedWeightsOf, type TunedWeights } from '../helpers/tuned-weights';

type Report = (p: RunExportProgress) => void;

/** A file-name-safe slug of the run's base and name. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'run';
}

interface Exportable {
  run: RunRecord;
  base: PeftBase;
  tuned: TunedWeights;
  /** The run's LoRA config in PEFT terms. */
  lora: LoraConfig;
}

async function exportable(runId: string): Promise<Exportable> {
  const run = await loadRun(runId);
  if (!run) throw new RunExportError('The run was not found.', 'It may have been deleted on the Storage page; pick another run.');
  const { lora } = modelSetupOf(run);
  const tuned = await tunedWeightsOf(run);
  if (!tuned) throw new RunExportError(`“${run.name}” has no checkpoint yet.`, 'Train it until the first checkpoint is saved (see “Checkpoint every”), then export.');
  // Refuses a seed-initialised model (no checkpoint to refer to) and a loaded model that is not this run's base.
  return { run, base: await peftBaseOf(run.model), tuned, lora };
}

function requireLora(run: RunRecord, what: string): void {
  if (run.hyper.method !== 'lora') {
    throw new RunExportError(`“${run.name}” is a full fine-tuning run, so it has no LoRA adapter for ${what}.`, 'Download the merged weights instead, or train with LoRA.');
  }
}

async function datasetOf(run: RunRecord): Promise<DatasetRecord | null> {
  return run.datasetId ? ((await loadDataset(run.datasetId)) ?? null) : null;
}

/** The dataset's train split, read chunk by chunk from storage (schema v3 keeps rows apart from the record). */
async function trainRowsOf(dataset: DatasetRecord): Promise<DatasetRow[]> {
  const train: DatasetRow[] = [];
  for await (const rows of datasetRowChunks(dataset)) for (const row of rows) if (row.split === 'train') train.push(row);
  return train;
}

function lineageOf(run: RunRecord, base: PeftBase, adapter: LoraAdapter, dataset: DatasetRecord | null, trainRows: readonly DatasetRow[]): LineageInput {
  const imported = run.imported?.lineage as LineageManifest | undefined;
  const last = [...run.metrics].reverse();
  const valLoss = last.find((m) => m.valLoss !== undefined)?.valLoss;
  const tokenAccuracy = last.find((m) => m.tokenAccuracy !== undefined)?.tokenAccuracy;
  const evalSummary = valLoss === undefined && tokenAccuracy === undefined ? null : { ...(valLoss !== undefined && { valLoss }), ...(tokenAccuracy !== undefined && { tokenAccuracy }) };
  return {
    base: { ...base.checkpoint.identity, modelType: base.checkpoint.config.model_type },
    // An imported adapter keeps the dataset and training facts its own lineage gave (none for foreign adapters).
    dataset: imported ? imported.dataset : dataset ? { name: dataset.name, sha256: dataset.sha256, exampleIds: trainRows.map((r) => r.id) } : null,
    lora: adapter.config,
    training: imported ? imported.training : { ...run.hyper, maxSeqLen: base.maxSeqLen },
    seed: imported ? imported.seed : run.hyper.seed,
    evalSummary: imported ? imported.evalSummary : evalSummary,
  };
}

async function adapterFiles({ run, base, tuned, lora }: Exportable, report: Report): Promise<FileBundle> {
  requireLora(run, 'PEFT');
  report({ stage: 'Reading the adapter weights', done: 0, total: 3 });
  const adapter = LoraAdapter.fromWeights(base.model.linearModules, lora, tuned.trainable);
  try {
    report({ stage: 'Writing adapter_model.safetensors and the lineage manifest', done: 1, total: 3 });
    const dataset = await datasetOf(run);
    const trainRows = dataset ? await trainRowsOf(dataset) : [];
    const { files } = await exportPeftAdapter(adapter, base.checkpoint.config.model_type, lineageOf(run, base, adapter, dataset, trainRows));
    return files;
  } finally {
    adapter.dispose();
  }
}

async function mergedFiles({ run, base, tuned, lora }: Exportable, report: Report): Promise<FileBundle> {
  if (run.hyper.method === 'lora') {
    const adapter = LoraAdapter.fromWeights(base.model.linearModules, lora, tuned.trainable);
    try {
      return await mergedCheckpointFiles(base.checkpoint, base.model, adapter, (done, total) => report({ stage: `Merging W + s·B·A into each adapted layer (${done}/${total})`, done, total }));
    } finally {
      adapter.dispose();
    }
  }
  // Full fine-tuning: the trained weights are the model; build it beside the base to write it in the base's layout.
  report({ stage: 'Building the fine-tuned model', done: 0, total: 1 });
  const model = createModel(base.checkpoint.config, base.checkpoint.weights);
  try {
    model.assignWeights(tuned.trainable);
    return await mergedCheckpointFiles(base.checkpoint, model, null);
  } finally {
    model.dispose();
  }
}

async function scaleOutBundle({ run, base, lora }: Exportable, report: Report): Promise<FileBundle> {
  requireLora(run, 'the TRL/PEFT script');
  const dataset = await datasetOf(run);
  if (!dataset) throw new RunExportError(`The dataset of “${run.name}” is not in this browser any more.`, 'Import the dataset again, train on it, then export for scale-out.');
  report({ stage: 'Writing the training split as JSONL', done: 0, total: 2 });
  // DPO exports the pairs; SFT on a preference dataset trained on the chosen answers, and its bundle's data says the same.
  const rows = (await trainRowsOf(dataset)).map(rowRecord);
  const train = run.hyper.objective === 'dpo' ? rows : rows.map((r) => (r.kind === 'preference' ? preferenceSides(r)[0] : r));
  const identity = base.checkpoint.identity;
  const h = run.hyper;
  return scaleOutFiles({
    baseRepo: identity.repo,
    revision: identity.commit ?? identity.revision,
    modelType: base.checkpoint.config.model_type,
    runName: slug(run.name),
    records: train,
    lora: { ...lora, use_rslora: lora.use_rslora ?? false },
    ...scaleOutSettingsOf(h),
    maxSeqLen: base.maxSeqLen,
  });
}

export async function exportRunJob(runId: string, kind: RunExportKind, signal: AbortSignal, report: Report): Promise<RunExportResult> {
  const target = await exportable(runId);
  let files: FileBundle;
  try {
    if (kind === 'adapter') files = await adapterFiles(target, report);
    else if (kind === 'merged') files = await mergedFiles(target, report);
    else files = await scaleOutBundle(target, report);
  } finally {
    target.base.release();
  }
  if (signal.aborted) throw new JobCancelledError('The export was cancelled.', 'Export again when you are ready.');
  report({ stage: 'Zipping', done: 1, total: 1 });
  const suffix = { adapter: 'peft-adapter', merged: 'merged', 'scale-out': 'trl-scale-out' }[kind];
  return { fileName: `${slug(target.run.name)}-${suffix}.zip`, zip: zipBundle(files), files: Object.keys(files).sort() };
}
