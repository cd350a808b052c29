// Job: one learning-curve cell as a TRL scale-out bundle — the exact subset that cell trained on (its share of the
// distinct training examples for its seed) as JSONL, with the cell's settings as TRL SFT + PEFT config and script.
import type { RunExportResult } from '../../src/contract';
import { RunExportError } from '../../src/engine/errors';
import { distinctIds, nestedSubsets } from '../../src/engine/experiments/curve/subsets';
import { scaleOutFiles, zipBundle } from '../../src/engine/peft';
import { loraConfigOf, scaleOutSettingsOf } from '../../src/engine/train/settings';
import { datasetRowChunks, loadDataset } from '../../src/storage/datasets';
import { rowRecord } from '../../src/storage/dataset-rows';
import { loadRun } from '../../src/storage/runs';
import type { DatasetRow } from '../../src/contract';
import { runBaseOf } from '../helpers/base-model';
import { peftBaseOf } from '../helpers/peft-base';
import { curveData } from './curve';

const slug = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'cell';

export async function curveCellBundleJob(runId: string, datasetId: string): Promise<RunExportResult> {
  const run = await loadRun(runId);
  const cell = run?.experimentCell;
  const curve = cell?.curve;
  if (!run || !cell || !curve) throw new RunExportError('That learning-curve run is not stored any more.', 'Run the curve again on the Experiments page.');
  if (curve.arm) throw new RunExportError('This run is an arm of a data-quality sweep; only learning-curve runs export as TRL bundles so far.', 'Export a run of the learning curve instead.');
  if (run.hyper.method !== 'lora') throw new RunExportError(`“${run.name}” is a full fine-tuning run; the TRL bundle is a LoRA (PEFT) script.`, 'Run the curve with LoRA to export its cells for scale-out.');
  const dataset = await loadDataset(datasetId);
  if (!dataset || dataset.sha256 !== curve.datasetSha256) throw new RunExportError('The dataset this cell trained on is not on this machine.', 'Import the same file on the Data page (its content hash must match), then export again.');
  const spec = { datasetSha256: curve.datasetSha256, fractions: [curve.fraction], seeds: cell.seed, match: 'none' as const, hyper: run.hyper };
  const base = await runBaseOf(run);
  const peft = await peftBaseOf(run.model);
  try {
    // The same examples and subset as the curve job: its data reader, the seed's nested order, the cell's share.
    const data = await curveData({ datasetId, spec }, base);
    const subset = nestedSubsets(distinctIds(data.train.keys()), [curve.fraction], cell.seed).get(curve.fraction)!;
    if (subset.size !== curve.distinct) throw new RunExportError(`This cell trained on ${curve.distinct} distinct examples, but the subset rebuilt now has ${subset.size}.`, 'The curve\'s settings for long rows changed; run the curve again, then export.');
    const rows: DatasetRow[] = [];
    for await (const chunk of datasetRowChunks(dataset)) for (const row of chunk) if (row.split === 'train' && subset.has(row.id)) rows.push(row);
    const identity = peft.checkpoint.identity;
    const h = run.hyper;
    const name = slug(`curve-${Math.round(curve.fraction * 1000) / 10}pct-seed${cell.seed}-${dataset.name}`);
    const files = scaleOutFiles({
      baseRepo: identity.repo,
      revision: identity.commit ?? identity.revision,
      modelType: peft.checkpoint.config.model_type,
      runName: name,
      records: rows.map(rowRecord),
      lora: { ...loraConfigOf(h.lora), use_rslora: h.lora.useRslora ?? false },
      ...scaleOutSettingsOf(h),
      maxSeqLen: peft.maxSeqLen,
    });
    return { fileName: `${name}-trl-scale-out.zip`, zip: zipBundle(files), files: Object.keys(files).sort() };
  } finally {
    peft.release();
  }
}
