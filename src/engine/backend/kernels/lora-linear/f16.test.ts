// f32 → f16 rounding and packing against hand values and a brute-force nearest-value search over all finite halves.
import { describe, expect, it } from 'vitest';
import { f16BitsToF32, f32ToF16Bits, fitsF16, packF16Pairs, roundToF16 } from './f16';
import { pseudoRandom } from '../check-harness';

/** Every finite non-negative f16 value, ascending (bit patterns 0 … 0x7bff are ordered). */
const positives = Array.from({ length: 0x7c00 }, (_, h) => f16BitsToF32(h));

/** The nearest f16 by search, ties to the even bit pattern: independent of the bit arithmetic under test. */
function nearestByScan(x: number): number {
  const a = Math.abs(x);
  let lo = 0;
  let hi = positives.length - 1;
  if (a >= 65520) return Math.sign(x) * Infinity;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (positives[mid] <= a) lo = mid;
    else hi = mid;
  }
  const dLo = a - positives[lo];
  const dHi = positives[hi] - a;
  const h = dLo < dHi || (dLo === dHi && lo % 2 === 0) || a <= positives[lo] ? lo : hi;
  return (x < 0 ? -1 : 1) * positives[h];
}

describe('f16 conversion', () => {
  it('decodes hand-checked bit patterns', () => {
    expect(f16BitsToF32(0x3c00)).toBe(1);
    expect(f16BitsToF32(0xc000)).toBe(-2);
    expect(f16BitsToF32(0x7bff)).toBe(65504);
    expect(f16BitsToF32(0x0001)).toBe(2 ** -24);
    expect(f16BitsToF32(0x0400)).toBe(2 ** -14);
    expect(f16BitsToF32(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(f16BitsToF32(0x7c00)).toBe(Infinity);
    expect(f16BitsToF32(0x7e00)).toBeNaN();
  });

  it('round-trips all 63,488 finite halves and rounds ties to even', () => {
    for (let h = 0; h < 0x7c00; h++) {
      expect(f32ToF16Bits(f16BitsToF32(h))).toBe(h);
      expect(f32ToF16Bits(-f16BitsToF32(h))).toBe(h | 0x8000);
    }
    // 1 + 2⁻¹¹ is halfway between 1 and 1 + 2⁻¹⁰: the even pattern (1) wins; 1 + 3·2⁻¹¹ goes up to 1 + 2⁻⁹.
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(f32ToF16Bits(65519)).toBe(0x7bff);
    expect(f32ToF16Bits(65520)).toBe(0x7c00);
    expect(f32ToF16Bits(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal
    expect(f32ToF16Bits(1.5 * 2 ** -25)).toBe(1);
  });

  it('agrees with a nearest-value search on random normals, subnormals and large values', () => {
    const u = pseudoRandom(20_000, 7);
    for (let i = 0; i < u.length; i++) {
      const scale = [1, 1e-6, 3e-8, 3e4][i % 4];
      const x = Math.fround(u[i] * scale);
      expect(f16BitsToF32(f32ToF16Bits(x)), `x = ${x}`).toBe(nearestByScan(x));
    }
  });

  it('packs element 2j in the low half and 2j + 1 in the high half, padded to an even word count', () => {
    const words = packF16Pairs([1, -2, 0.5]);
    expect(words.length).toBe(2);
    expect(words[0] & 0xffff).toBe(0x3c00);
    expect((words[0] >>> 16) & 0xffff).toBe(0xc000);
    expect(words[1]).toBe(0x3800);
    expect(Array.from(roundToF16([1 + 2 ** -12, 70000]))).toEqual([1, Infinity]);
    expect(fitsF16([1, -65504])).toBe(true);
    expect(fitsF16([65520])).toBe(false);
  });
});
