// Public file I/O API: safetensors read/write and half-precision decoding.
export { readSafetensors, readTensor } from './safetensors-read';
export { writeSafetensors } from './safetensors-write';
export { readSafetensorsHeader, DTYPE_BYTES, MAX_HEADER_BYTES } from './safetensors-header';
export type { SafetensorsHeader, TensorInfo, SafetensorsDtype } from './safetensors-header';
export { decodeF16, decodeBF16, decodeF32, floatToBF16Bits } from './float16';
