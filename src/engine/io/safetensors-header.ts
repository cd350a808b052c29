// Parses and validates a safetensors header as hostile input: every bound checked before anything is read or allocated.

import { SafetensorsError } from '../errors';

/** Bytes per element of every dtype the format defines (we decode only F32/F16/BF16, but may list any). */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
  F8_E4M3: 1, F8_E5M2: 1,
};

export type SafetensorsDtype = keyof typeof DTYPE_BYTES;

/** Largest header we accept: the reference implementation's limit. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface TensorInfo {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** [begin, end) relative to the start of the data section. */
  dataOffsets: [number, number];
}

export interface SafetensorsHeader {
  /** String metadata from `__metadata__` (e.g. {"format": "pt"}). */
  metadata: Record<string, string>;
  /** Tensors in file order (sorted by offset). */
  tensors: TensorInfo[];
  /** Length of the JSON header in bytes. */
  headerLength: number;
  /** Byte offset of the data section in the file: 8 + headerLength. */
  dataStart: number;
  /** Total file size the offsets were checked against. */
  fileSize: number;
}

const REPAIR_HINT = 'The file is damaged or not a safetensors file; download or export it again.';

function fail(message: string, hint = REPAIR_HINT): never {
  throw new SafetensorsError(message, hint);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseTensorEntry(name: string, entry: unknown, dataLength: number): TensorInfo {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) fail(`Tensor "${name}" is described by ${describe(entry)}, not an object.`);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
    fail(`Tensor "${name}" has unknown dtype ${describe(dtype)}.`, `Known dtypes: ${Object.keys(DTYPE_BYTES).join(', ')}.`);
  }
  if (!Array.isArray(shape) || shape.length > 64 || !shape.every(isCount)) {
    fail(`Tensor "${name}" has shape ${describe(shape)}; a shape is a list of at most 64 non-negative integers.`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(`Tensor "${name}" has data_offsets ${describe(offsets)}; expected [begin, end] as non-negative integers.`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`Tensor "${name}" ends (${end}) before it begins (${begin}).`);
  if (end > dataLength) {
    fail(`Tensor "${name}" ends at byte ${end} of the data section, which has only ${dataLength} bytes: the file is truncated or the header lies.`);
  }
  // Element count, stopped once it exceeds the byte range, so a huge shape cannot overflow or allocate.
  const dims = shape as number[];
  const byteLength = end - begin;
  const elementBytes = DTYPE_BYTES[dtype];
  let elements = dims.includes(0) ? 0 : 1;
  for (let i = 0; elements > 0 && elements <= byteLength && i < dims.length; i++) elements *= dims[i];
  if (elements * elementBytes !== byteLength) {
    const expected = elements <= byteLength ? `${elements * elementBytes}` : `more than ${byteLength}`;
    fail(`Tensor "${name}" has shape [${dims.join(', ')}] of ${dtype}, which needs ${expected} bytes, but its data_offsets give ${byteLength}.`);
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: [...(shape as number[])], dataOffsets: [begin, end] };
}

/**
 * Reads the header from `bytes` (the whole file, or a prefix of at least 8 + header length bytes when
 * `fileSize` gives the full size) and checks it against the file: offsets sorted, non-overlapping and
 * covering the data section exactly, each tensor's bytes matching its shape and dtype.
 */
export function readSafetensorsHeader(bytes: Uint8Array, fileSize = bytes.length): SafetensorsHeader {
  if (!(bytes instanceof Uint8Array)) fail('Expected the file as a Uint8Array.', 'Pass new Uint8Array(await file.arrayBuffer()).');
  if (!isCount(fileSize) || fileSize < bytes.length) fail(`File size ${fileSize} is smaller than the ${bytes.length} bytes given.`, 'Pass the real file size.');
  if (fileSize < 8 || bytes.length < 8) fail(`The file has ${fileSize} bytes; a safetensors file starts with an 8-byte header length.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  if (high !== 0 || low > MAX_HEADER_BYTES) {
    fail(`The header length (${high * 2 ** 32 + low} bytes) is over the ${MAX_HEADER_BYTES}-byte limit: this is not a safetensors file or it is damaged.`);
  }
  const headerLength = low;
  if (8 + headerLength > fileSize) fail(`The header claims ${headerLength} bytes but the file has only ${fileSize - 8} after the length field: it is truncated.`);
  if (8 + headerLength > bytes.length) {
    fail(`Only ${bytes.length} bytes were given; the header needs ${8 + headerLength}.`, 'Read at least 8 + header length bytes from the start of the file.');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    fail('The header is not valid UTF-8 text.');
  }
  if (!text.startsWith('{')) fail(`The header should be a JSON object starting with "{", but starts with ${describe(text.slice(0, 16))}.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(`The header is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) fail('The header is not a JSON object.');

  const dataStart = 8 + headerLength;
  const dataLength = fileSize - dataStart;
  const metadata: Record<string, string> = {};
  const tensors: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) fail(`"__metadata__" must be an object of strings, got ${describe(entry)}.`);
      for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof value !== 'string') fail(`Metadata "${key}" is ${describe(value)}; safetensors metadata values must be strings.`);
        metadata[key] = value;
      }
      continue;
    }
    tensors.push(parseTensorEntry(name, entry, dataLength));
  }
  tensors.sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let cursor = 0;
  for (const tensor of tensors) {
    const [begin, end] = tensor.dataOffsets;
    if (begin < cursor) fail(`Tensor "${tensor.name}" (bytes ${begin}–${end}) overlaps the tensor before it (which ends at ${cursor}).`);
    if (begin > cursor) fail(`The data section has a gap of unclaimed bytes ${cursor}–${begin} before tensor "${tensor.name}".`);
    cursor = end;
  }
  if (cursor !== dataLength) {
    fail(`The tensors cover ${cursor} bytes but the data section has ${dataLength}: the file is ${cursor > dataLength ? 'truncated' : 'padded or damaged'}.`);
  }
  return { metadata, tensors, headerLength, dataStart, fileSize };
}
