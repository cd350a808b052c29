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
