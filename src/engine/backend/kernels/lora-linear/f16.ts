// IEEE binary16 on the host: exact f32 → f16 rounding (to nearest, ties to even) and the two-halves-per-word packing the WGSL reads.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Largest finite f16 (65504); values at or above 65520 round to infinity. */
export const F16_MAX = 65504;

/** f16's unit roundoff 2⁻¹¹: |round(w) − w| ≤ 2⁻¹¹·|w| for every normal w (subnormals: ≤ 2⁻²⁵ absolute). */
export const F16_UNIT_ROUNDOFF = 2 ** -11;

/** The f16 bit pattern nearest to x (as a float32), ties to even; NaN stays NaN, overflow gives ±infinity. */
export function f32ToF16Bits(x: number): number {
  f32[0] = x;
  const bits = u32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  // Unbiased exponent; f16 normals cover 2⁻¹⁴ … 2¹⁵.
  const e = exp - 127;
  if (e > 15) return sign | 0x7c00;
  if (e >= -14) {
    // Normal: keep 10 mantissa bits, round the 13 dropped bits to nearest even (a carry may bump the exponent).
    let h = ((e + 15) << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h += 1;
    return sign | h; // h = 0x7c00 after a carry out of e = 15 is infinity, as it should be
  }
  if (e < -25) return sign; // below half the smallest subnormal 2⁻²⁴: rounds to zero
  // Subnormal: value = m·2⁻²⁴ with m = (1.mant)·2^(e+24); shift the 24-bit significand right accordingly.
  const significand = mant | 0x800000;
  const shift = -e - 1; // 14 … 24 bits dropped
  let h = significand >>> shift;
  const rest = significand & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rest > half || (rest === half && (h & 1) === 1)) h += 1;
  return sign | h;
}

/** The value of an f16 bit pattern (exact in float64 and float32). */
export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Every value rounded to its nearest f16, kept as float32 (what the kernels compute with after unpacking). */
export function roundToF16(data: ArrayLike<number>): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = f16BitsToF32(f32ToF16Bits(data[i]));
  return out;
}

/**
 * Flat values → f16 pairs, one 32-bit word each: element 2j in the low half, 2j + 1 in the high half (WGSL's
 * unpack2x16float order), padded with a zero half to whole words and to an even word count (vec2 bindings).
 */
export function packF16Pairs(data: ArrayLike<number>): Int32Array {
  const words = Math.ceil(data.length / 2);
  const out = new Int32Array(words + (words % 2));
  for (let j = 0; j < words; j++) {
    const lo = f32ToF16Bits(data[2 * j]);
    const hi = 2 * j + 1 < data.length ? f32ToF16Bits(data[2 * j + 1]) : 0;
    out[j] = lo | (hi << 16);
  }
  return out;
}

/** Whether every value stays finite in f16 (|x| < 65520 after rounding). */
export function fitsF16(data: ArrayLike<number>): boolean {
  for (let i = 0; i < data.length; i++) if (!(Math.abs(data[i]) < 65520)) return false;
  return true;
}
