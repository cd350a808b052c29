// Public file I/O API: safetensors read/write and half-precision decoding.
export { readSafetensors, readTensor } from './safetensors-read';
export type { ReadSafetensorsOptions } from './safetensors-read';
export { parseSafetensorsIndex, checkShardsAgainstIndex } from './safetensors-index';
export type { SafetensorsIndex } from './safetensors-index';
export { writeSafetensors } from './safetensors-write';
export { readSafetensorsHeader, DTYPE_BYTES, MAX_HEADER_BYTES } from './safetensors-header';
export type { SafetensorsHeader, TensorInfo, SafetensorsDtype } from './safetensors-header';
export { decodeF16, decodeBF16, decodeF32, floatToBF16Bits } from './float16';
export { readSafetensorsBlob, readSafetensorsHeaderFromBlob } from './safetensors-blob';
export type { ReadBlobOptions } from './safetensors-blob';
