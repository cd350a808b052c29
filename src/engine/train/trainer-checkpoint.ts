// A trainer checkpoint as plain data: trainable weights, AdamW moments per tensor, data order and dropout state, the options.
import type { Tensor } from '../backend/tf';
import type { WeightMap } from '../models/config';
import type { TrainerCheckpoint } from './checkpoint';
import type { TrainingState } from './trainer-setup';

async function readWeights(named: [string, Tensor][]): Promise<WeightMap> {
  const out: WeightMap = new Map();
  for (const [name, t] of named) out.set(name, { shape: [...t.shape], data: (await t.data()) as Float32Array });
  return out;
}

/** A flat [P] vector back into per-tensor arrays named like `trainables`. */
async function splitFlat(s: TrainingState, flat: Tensor): Promise<WeightMap> {
  const data = (await flat.data()) as Float32Array;
  const out: WeightMap = new Map();
  let offset = 0;
  s.trainables.forEach(([name, v], i) => {
    out.set(name, { shape: [...v.shape], data: data.slice(offset, offset + s.sizes[i]) });
    offset += s.sizes[i];
  });
  return out;
}

export async function checkpointOf(s: TrainingState): Promise<TrainerCheckpoint> {
  const { initialAdapter: _ignored, dpoReferenceAdapter: _reference, ...plainOptions } = s.opts;
  return {
    format: 'tunelab-trainer-checkpoint',
    version: 1,
    options: plainOptions,
    step: s.stepCount,
    trainable: await readWeights(s.trainables),
    adamM: await splitFlat(s, s.moments.m),
    adamV: await splitFlat(s, s.moments.v),
    dataOrder: s.order.snapshot(),
    dropoutRng: s.dropoutRng.state(),
    base: { modelType: s.model.config.model_type, numParams: s.model.numParams },
  };
}
