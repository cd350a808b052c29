// Reads a safetensors file into float32 NamedArrays (F32, F16, BF16), after validating its header.

import { SafetensorsError } from '../errors';
import type { NamedArray, WeightMap } from '../models/config';
import { decodeBF16, decodeF16, decodeF32 } from './float16';
import { readSafetensorsHeader, type SafetensorsHeader, type TensorInfo } from './safetensors-header';

/** Decodes one tensor of a validated header; `bytes` is the whole file. */
export function readTensor(bytes: Uint8Array, header: SafetensorsHeader, tensor: TensorInfo): NamedArray {
  const [begin, end] = tensor.dataOffsets;
  const start = header.dataStart + begin;
  const stop = header.dataStart + end;
  if (stop > bytes.length) {
    throw new SafetensorsError(
      `Tensor "${tensor.name}" lies at bytes ${start}–${stop}, beyond the ${bytes.length} bytes given.`,
      'Pass the whole file, not only its header.',
    );
  }
  const raw = bytes.subarray(start, stop);
  switch (tensor.dtype) {
    case 'F32':
      return { shape: [...tensor.shape], data: decodeF32(raw) };
    case 'F16':
      return { shape: [...tensor.shape], data: decodeF16(raw) };
    case 'BF16':
      return { shape: [...tensor.shape], data: decodeBF16(raw) };
    default:
      throw new SafetensorsError(
        `Tensor "${tensor.name}" has dtype ${tensor.dtype}; TuneLab loads only F32, F16 and BF16 tensors.`,
        'Convert the checkpoint to float16, bfloat16 or float32 (e.g. model.half().save_pretrained(...)).',
      );
  }
}

export interface ReadSafetensorsOptions {
  /** Decode only the tensors this accepts (others are skipped, not converted). Default: all. */
  include?: (name: string) => boolean;
}

/** Reads the tensors of a safetensors file; any problem raises SafetensorsError naming the tensor. */
export function readSafetensors(bytes: Uint8Array, options: ReadSafetensorsOptions = {}): WeightMap {
  const header = readSafetensorsHeader(bytes);
  const tensors: WeightMap = new Map();
  for (const tensor of header.tensors) {
    if (options.include && !options.include(tensor.name)) continue;
    tensors.set(tensor.name, readTensor(bytes, header, tensor));
  }
  return tensors;
}
