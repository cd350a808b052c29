// The fine-tuned side of a run: its latest trainer checkpoint, or the weights of an imported PEFT adapter.
import type { WeightMap } from '../../src/engine/models/config';
import type { TrainerCheckpoint } from '../../src/engine/train/checkpoint';
import { adapterOfRun } from '../../src/storage/adapters';
import { latestCheckpoint } from '../../src/storage/runs';
import type { RunRecord } from '../../src/contract';

export interface TunedWeights {
  /** Steps trained (0 for an imported adapter). */
  step: number;
  /** PEFT names for LoRA, HF names for full fine-tuning. */
  trainable: WeightMap;
  /** The whole trainer checkpoint (resume/evaluate restore it); null for an imported adapter. */
  checkpoint: TrainerCheckpoint | null;
}

export async function tunedWeightsOf(run: Pick<RunRecord, 'id' | 'imported'>): Promise<TunedWeights | null> {
  if (run.imported) {
    const adapter = await adapterOfRun(run.id);
    return adapter ? { step: 0, trainable: new Map(Object.entries(adapter.weights)), checkpoint: null } : null;
  }
  const record = await latestCheckpoint(run.id);
  if (!record) return null;
  const checkpoint = record.state as TrainerCheckpoint;
  return { step: record.step, trainable: checkpoint.trainable, checkpoint };
}
