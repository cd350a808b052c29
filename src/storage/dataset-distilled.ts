// A distilled dataset: a teacher's reviewed answers saved as a new dataset whose lineage names every row's producer.
import { DatasetStorageError } from '../engine/errors';
import type { PromptCompletionRecord } from '../engine/data/record';
import { DatasetWriter } from './dataset-writer';
import type { DatasetRecord, DistillRow, ProducerId } from '../contract';

export interface DistilledDatasetSpec {
  name: string;
  /** The rows to keep, in the order they are written (lines 1…n). */
  rows: readonly DistillRow[];
  producer: ProducerId;
  /** Appended to an answer that ended at the stop token, so the student learns to stop too (Tiny World's "\n"). */
  stopSuffix: string;
  sourceLabel: string;
  /** The dataset whose prompts were answered (absent for Tiny World items): recorded so Forget finds this copy. */
  sourceDataset?: { id: string; sha256: string };
  /** The generation did not finish (cancelled or failed): saved only when the user asks, and marked as a draft. */
  draft: boolean;
  /** Prompts in the source. */
  total: number;
  splitSeed: number;
}

/** The training completion of one reviewed row: the teacher's answer, plus the stop suffix when it stopped by itself. */
export function trainedCompletion(row: DistillRow, stopSuffix: string): string {
  return row.finishReason === 'stop' ? row.completion + stopSuffix : row.completion;
}

export async function saveDistilledDataset(spec: DistilledDatasetSpec): Promise<DatasetRecord> {
  if (spec.rows.length === 0) throw new DatasetStorageError('There are no generated rows to save.', 'Generate completions first (or keep at least one row).');
  const writer = new DatasetWriter({ name: spec.name, source: 'example', format: 'generated', splitSeed: spec.splitSeed });
  try {
    for (const [i, row] of spec.rows.entries()) {
      const record: PromptCompletionRecord = { kind: 'prompt-completion', line: i + 1, prompt: row.prompt, completion: trainedCompletion(row, spec.stopSuffix), tags: ['distilled'] };
      await writer.add(record);
    }
    return await writer.finish([], 0, {
      distilled: {
        producers: [spec.producer],
        rowProducer: spec.rows.map(() => 0),
        rowSeeds: spec.rows.map((r) => r.seed),
        source: spec.sourceLabel,
        draft: spec.draft,
        generated: spec.rows.length,
        total: spec.total,
        ...(spec.sourceDataset ? { sourceDatasetId: spec.sourceDataset.id, sourceSha256: spec.sourceDataset.sha256 } : {}),
        ...(spec.rows.some((r) => r.sourceRowId !== undefined) ? { rowSourceIds: spec.rows.map((r) => r.sourceRowId ?? '') } : {}),
      },
    });
  } catch (error) {
    await writer.discard();
    throw error;
  }
}
