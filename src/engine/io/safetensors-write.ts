// Writes float32 tensors as a safetensors file laid out like the reference: names sorted, header padded to 8 bytes.

import { SafetensorsError } from '../errors';
import type { WeightMap } from '../models/config';

/** Serialises `tensors` as F32 (little-endian); `metadata` goes to `__metadata__` (string values only). */
export function writeSafetensors(tensors: WeightMap, metadata?: Record<string, string>): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') throw new SafetensorsError(`Metadata "${key}" is not a string.`, 'safetensors metadata values must be strings; JSON.stringify them.');
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const name of names) {
    if (name.length === 0 || name === '__metadata__') throw new SafetensorsError(`"${name}" cannot be a tensor name.`, 'Rename the tensor.');
    const { shape, data } = tensors.get(name)!;
    const elements = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || elements !== data.length) {
      throw new SafetensorsError(`Tensor "${name}" has shape [${shape.join(', ')}] but ${data.length} values.`, 'Fix the shape before saving.');
    }
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.length * 4] };
    offset += data.length * 4;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8; // 8 + headerLength stays a multiple of 8
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let cursor = 8 + headerLength;
  for (const name of names) {
    const data = tensors.get(name)!.data;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    out.set(bytes, cursor);
    cursor += bytes.length;
  }
  return out;
}
