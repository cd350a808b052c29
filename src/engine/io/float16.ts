// IEEE half (F16) and bfloat16 (BF16) bit patterns to float32, and back for tests and exports.

let halfTable: Float32Array | null = null;

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** All 65536 half values, built once (256 KB), so decoding is one lookup per element. */
function table(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) halfTable[bits] = halfToFloat(bits);
  }
  return halfTable;
}

/** Decodes little-endian F16 values (an even number of bytes) to float32. */
export function decodeF16(bytes: Uint8Array): Float32Array {
  const count = bytes.length >>> 1;
  const out = new Float32Array(count);
  const lookup = table();
  for (let i = 0, j = 0; i < count; i++, j += 2) out[i] = lookup[bytes[j] | (bytes[j + 1] << 8)];
  return out;
}

/** Decodes little-endian BF16 values to float32: a bfloat16 is the top half of a float32. */
export function decodeBF16(bytes: Uint8Array): Float32Array {
  const count = bytes.length >>> 1;
  const out = new Float32Array(count);
  const words = new Uint32Array(out.buffer);
  for (let i = 0, j = 0; i < count; i++, j += 2) words[i] = ((bytes[j] | (bytes[j + 1] << 8)) << 16) >>> 0;
  return out;
}

/** Decodes little-endian F32 values; copies, so the result is aligned whatever the offset in the file. */
export function decodeF32(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length >>> 2);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * 4));
  if (!littleEndianHost) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  }
  return out;
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** float32 → bfloat16 bits with round-to-nearest-even (NaN kept as a quiet NaN). */
export function floatToBF16Bits(value: number): number {
  const words = new Uint32Array(new Float32Array([value]).buffer);
  const bits = words[0];
  if ((bits & 0x7f800000) === 0x7f800000 && bits & 0x7fffff) return ((bits >>> 16) | 0x40) & 0xffff;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}
