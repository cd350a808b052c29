// Trainer checkpoints as plain data (structured-cloneable) and as bytes: "TLCKPT01", u32 header length, JSON header, f32 data.
import { CheckpointError } from '../errors';
import type { NamedArray, WeightMap } from '../models/config';
import type { RngState } from '../rng';
import type { DataOrderState } from './batch';
import type { TrainOptions } from './options';

export interface TrainerCheckpoint {
  format: 'tunelab-trainer-checkpoint';
  version: 1;
  /** The run's options (without initialAdapter, whose values live in `trainable`). */
  options: Omit<TrainOptions, 'initialAdapter'>;
  /** Optimizer steps completed. */
  step: number;
  /** Trainable weights by name: PEFT names for LoRA, HF names for full fine-tuning. */
  trainable: WeightMap;
  /** AdamW first and second moments, by the same names. */
  adamM: WeightMap;
  adamV: WeightMap;
  dataOrder: DataOrderState;
  dropoutRng: RngState;
  /** What the run was trained on, to refuse restoring onto a different base. */
  base: { modelType: string; numParams: number };
}

const MAGIC = 'TLCKPT01';
const groups = ['trainable', 'adamM', 'adamV'] as const;

interface TensorEntry {
  group: (typeof groups)[number];
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

export function checkpointToBytes(checkpoint: TrainerCheckpoint): Uint8Array {
  const entries: TensorEntry[] = [];
  let offset = 0;
  for (const group of groups) {
    for (const [name, t] of checkpoint[group]) {
      entries.push({ group, name, shape: t.shape, offset, length: t.data.length });
      offset += t.data.length;
    }
  }
  const { trainable: _t, adamM: _m, adamV: _v, ...meta } = checkpoint;
  let header = new TextEncoder().encode(JSON.stringify({ meta, tensors: entries }));
  const pad = (4 - ((MAGIC.length + 4 + header.length) % 4)) % 4;
  if (pad) header = new TextEncoder().encode(JSON.stringify({ meta, tensors: entries }) + ' '.repeat(pad));
  const start = MAGIC.length + 4 + header.length;
  const bytes = new Uint8Array(start + offset * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, header.length, true);
  bytes.set(header, MAGIC.length + 4);
  const data = new Float32Array(bytes.buffer, start, offset);
  for (const e of entries) data.set(checkpoint[e.group].get(e.name)!.data, e.offset);
  return bytes;
}

export function checkpointFromBytes(bytes: Uint8Array): TrainerCheckpoint {
  const fail = (what: string): never => {
    throw new CheckpointError(`This checkpoint cannot be read: ${what}.`, 'The saved run is damaged; restart the run or pick an earlier checkpoint.');
  };
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) fail('it is not a TuneLab trainer checkpoint');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4 + headerLength;
  if (start > bytes.length) fail('the header is longer than the file');
  let parsed: { meta: Omit<TrainerCheckpoint, (typeof groups)[number]>; tensors: TensorEntry[] };
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, start)));
  } catch {
    return fail('the header is not valid JSON');
  }
  if (parsed.meta?.format !== 'tunelab-trainer-checkpoint' || parsed.meta.version !== 1) fail('unknown format or version');
  const floats = (bytes.length - start) / 4;
  if (!Number.isInteger(floats)) fail('the data section is not whole float32 values');
  // Copy so the result owns aligned memory whatever the input's byteOffset.
  const data = new Float32Array(bytes.slice(start).buffer);
  const maps: Record<(typeof groups)[number], WeightMap> = { trainable: new Map(), adamM: new Map(), adamV: new Map() };
  for (const e of parsed.tensors ?? []) {
    const size = e.shape.reduce((a, b) => a * b, 1);
    if (!groups.includes(e.group) || size !== e.length || e.offset < 0 || e.offset + e.length > floats) fail(`tensor "${e.name}" is out of range`);
    const t: NamedArray = { shape: e.shape, data: data.slice(e.offset, e.offset + e.length) };
    maps[e.group].set(e.name, t);
  }
  return { ...parsed.meta, ...maps } as TrainerCheckpoint;
}
