// Approximate stored size of a record: typed arrays by their bytes, everything else by its JSON length.

export function approximateBytes(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (typeof value === 'string') return value.length * 2;
  if (typeof value === 'number' || typeof value === 'boolean') return 8;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + approximateBytes(item), 16);
  if (value instanceof Map) {
    let sum = 16;
    for (const [k, v] of value) sum += approximateBytes(k) + approximateBytes(v);
    return sum;
  }
  if (typeof value === 'object') {
    let sum = 16;
    for (const [k, v] of Object.entries(value)) sum += k.length * 2 + approximateBytes(v);
    return sum;
  }
  return 0;
}

/** Bytes of a string in V8's structured-clone format: one byte per character when all are Latin-1, else two. */
function serializedStringBytes(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return 3 + text.length * 2;
  return 2 + text.length;
}

/**
 * Approximate size of plain data as IndexedDB stores it (V8's structured clone: Latin-1 strings one byte a character,
 * small integers as varints, a few bytes of tags per string, object and array). Large values are written to disk as they are serialized,
 * so this is close to what a dataset's row chunks take on disk; approximateBytes counts every string twice over.
 */
export function serializedBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return serializedStringBytes(value);
  // Small integers are zigzag varints after a tag byte; other numbers are 8-byte doubles.
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 30 ? 1 + Math.ceil((Math.log2(Math.abs(value) + 1) + 1) / 7) : 9;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + serializedBytes(item), 6);
  if (typeof value === 'object') {
    let sum = 3;
    for (const key in value) sum += serializedStringBytes(key) + serializedBytes((value as Record<string, unknown>)[key]);
    return sum;
  }
  return 0;
}
