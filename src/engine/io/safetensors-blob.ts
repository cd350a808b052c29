// Reads safetensors from a Blob/File tensor by tensor, so a large checkpoint is never held whole alongside its f32 copy.

import { SafetensorsError } from '../errors';
import type { WeightMap } from '../models/config';
import { MAX_HEADER_BYTES, readSafetensorsHeader, type SafetensorsHeader } from './safetensors-header';
import { readTensor, type ReadSafetensorsOptions } from './safetensors-read';

async function bytesOf(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(start, end).arrayBuffer());
}

/** Reads and validates only the header: two small reads from the start of the file. */
export async function readSafetensorsHeaderFromBlob(blob: Blob): Promise<SafetensorsHeader> {
  if (blob.size < 8) return readSafetensorsHeader(await bytesOf(blob, 0, blob.size), blob.size);
  const lengthBytes = await bytesOf(blob, 0, 8);
  const view = new DataView(lengthBytes.buffer);
  const headerLength = view.getUint32(4, true) === 0 ? view.getUint32(0, true) : Infinity;
  // Oversized or truncated lengths are reported by readSafetensorsHeader from the first 8 bytes alone.
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > blob.size) return readSafetensorsHeader(lengthBytes, blob.size);
  return readSafetensorsHeader(await bytesOf(blob, 0, 8 + headerLength), blob.size);
}

export interface ReadBlobOptions extends ReadSafetensorsOptions {
  /** Called after each tensor with bytes read so far and the total to read. */
  onProgress?: (progress: { bytes: number; totalBytes: number }) => void;
  signal?: AbortSignal;
}

/** Like readSafetensors, but reads each tensor's bytes from the Blob only when it is decoded. */
export async function readSafetensorsBlob(blob: Blob, options: ReadBlobOptions = {}): Promise<WeightMap> {
  const header = await readSafetensorsHeaderFromBlob(blob);
  const wanted = header.tensors.filter((t) => !options.include || options.include(t.name));
  const totalBytes = wanted.reduce((sum, t) => sum + t.dataOffsets[1] - t.dataOffsets[0], 0);
  const tensors: WeightMap = new Map();
  let bytes = 0;
  for (const tensor of wanted) {
    options.signal?.throwIfAborted();
    const [begin, end] = tensor.dataOffsets;
    const raw = await bytesOf(blob, header.dataStart + begin, header.dataStart + end);
    if (raw.length !== end - begin) {
      throw new SafetensorsError(`Tensor "${tensor.name}" could not be read in full (${raw.length} of ${end - begin} bytes).`, 'The file changed or is unreadable; choose it again.');
    }
    // readTensor addresses the whole file; give it a header whose data section starts at 0 of `raw`.
    const local = { ...tensor, dataOffsets: [0, end - begin] as [number, number] };
    tensors.set(tensor.name, readTensor(raw, { ...header, dataStart: 0 }, local));
    bytes += end - begin;
    options.onProgress?.({ bytes, totalBytes });
  }
  return tensors;
}
