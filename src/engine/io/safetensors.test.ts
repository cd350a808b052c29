// Safetensors: a golden file written by Python/torch, write→read round trip, and named hostile cases.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SafetensorsError } from '../errors';
import type { WeightMap } from '../models/config';
import { floatToBF16Bits } from './float16';
import { readSafetensorsHeader } from './safetensors-header';
import { readSafetensors } from './safetensors-read';
import { writeSafetensors } from './safetensors-write';

const fixture = new Uint8Array(readFileSync(new URL('./fixtures/mixed.safetensors', import.meta.url)));
const expected = JSON.parse(readFileSync(new URL('./fixtures/mixed.expected.json', import.meta.url), 'utf8')) as {
  metadata: Record<string, string>;
  tensors: Record<string, { shape: number[]; dtype: string; float32_bits: number[] }>;
};

/** Builds a file from a header object and a data length (zeros), for hostile cases. */
function fileWith(header: unknown, dataBytes: number, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  return out;
}

function errorOf(run: () => unknown): SafetensorsError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    return error as SafetensorsError;
  }
  throw new Error('expected a SafetensorsError');
}

describe('readSafetensors', () => {
  it('reads the torch-written golden file with exact F32, F16 and BF16 values', () => {
    const header = readSafetensorsHeader(fixture);
    expect(header.metadata).toEqual(expected.metadata);
    expect(header.dataStart % 8).toBe(0);
    const tensors = readSafetensors(fixture);
    expect([...tensors.keys()].sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [name, want] of Object.entries(expected.tensors)) {
      const got = tensors.get(name)!;
      expect(got.shape, name).toEqual(want.shape);
      expect([...new Uint32Array(got.data.buffer, got.data.byteOffset, got.data.length)], name).toEqual(want.float32_bits);
    }
    const half = tensors.get('layers.0.special_half')!.data;
    expect([half[0], half[2], half[4], half[7], half[8]]).toEqual([0, 1, 65504, Infinity, -Infinity]);
    expect(Object.is(half[1], -0)).toBe(true);
    expect(half[5]).toBe(2 ** -24); // 6e-8 rounds to the smallest F16 subnormal
    expect(Number.isNaN(half[9])).toBe(true);
    expect(tensors.get('scalar')).toEqual({ shape: [], data: new Float32Array([7.25]) });
    expect(tensors.get('empty')!.data.length).toBe(0);
  });

  it('round-trips what writeSafetensors writes, with sorted offsets and 8-byte-aligned data', () => {
    const weights: WeightMap = new Map([
      ['b.weight', { shape: [2, 3], data: new Float32Array([1, -2, 3.5, 1e-30, -0, 7]) }],
      ['a.bias', { shape: [3], data: new Float32Array([0.1, 0.2, 0.3]) }],
      ['c', { shape: [], data: new Float32Array([42]) }],
    ]);
    const bytes = writeSafetensors(weights, { format: 'pt' });
    const header = readSafetensorsHeader(bytes);
    expect(header.dataStart % 8).toBe(0);
    expect(header.tensors.map((t) => [t.name, t.dataOffsets])).toEqual([
      ['a.bias', [0, 12]],
      ['b.weight', [12, 36]],
      ['c', [36, 40]],
    ]);
    expect(header.metadata).toEqual({ format: 'pt' });
    expect(readSafetensors(bytes)).toEqual(weights);
    expect(() => writeSafetensors(new Map([['x', { shape: [2], data: new Float32Array(3) }]]))).toThrow(SafetensorsError);
  });

  it('reads a header from a prefix when given the file size (for range requests)', () => {
    const header = readSafetensorsHeader(fixture.subarray(0, readSafetensorsHeader(fixture).dataStart), fixture.length);
    expect(header.tensors.length).toBe(7);
  });

  it('rounds float32 to bfloat16 to nearest even', () => {
    expect(floatToBF16Bits(1)).toBe(0x3f80);
    expect(floatToBF16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie → even
    expect(floatToBF16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
  });

  const ok = { dtype: 'F32', shape: [2], data_offsets: [0, 8] };
  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', new Uint8Array(5), /8-byte header length/],
    ['huge header length', (() => { const b = new Uint8Array(16); b[7] = 1; return b; })(), /over the 100000000-byte limit/],
    ['header longer than file', (() => { const b = fileWith({}, 0); new DataView(b.buffer).setUint32(0, 99, true); return b; })(), /truncated/],
    ['not JSON', fileWith(null, 0, '{"a": '), /not valid JSON/],
    ['array header', fileWith(null, 0, '{}'.replace('{}', '[]')), /starting with "\{"/],
    ['unknown dtype', fileWith({ t: { ...ok, dtype: 'F31' } }, 8), /unknown dtype "F31"/],
    ['negative shape', fileWith({ t: { ...ok, shape: [-2] } }, 8), /shape \[-2\]/],
    ['fractional offset', fileWith({ t: { ...ok, data_offsets: [0, 7.5] } }, 8), /data_offsets/],
    ['shape/bytes mismatch', fileWith({ t: { ...ok, shape: [3] } }, 8), /needs 12 bytes, but its data_offsets give 8/],
    ['huge shape', fileWith({ t: { ...ok, shape: [1e15, 1e15, 1e15] } }, 8), /needs more than 8 bytes/],
    ['offset beyond data', fileWith({ t: { ...ok, data_offsets: [0, 16] , shape: [4] } }, 8), /truncated or the header lies/],
    ['overlap', fileWith({ a: ok, b: { ...ok, data_offsets: [4, 12] } }, 12), /overlaps/],
    ['gap', fileWith({ a: { ...ok, data_offsets: [4, 12] } }, 12), /gap/],
    ['trailing bytes', fileWith({ a: ok }, 12), /cover 8 bytes but the data section has 12/],
    ['bad metadata', fileWith({ __metadata__: { a: 1 } }, 0), /metadata values must be strings/],
  ];
  for (const [label, bytes, message] of cases) {
    it(`refuses a hostile file: ${label}`, () => {
      expect(errorOf(() => readSafetensors(bytes)).message).toMatch(message);
    });
  }

  it('refuses dtypes it cannot load, naming the tensor', () => {
    const bytes = fileWith({ ids: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8);
    expect(readSafetensorsHeader(bytes).tensors[0].dtype).toBe('I64');
    expect(errorOf(() => readSafetensors(bytes)).message).toMatch(/"ids" has dtype I64/);
  });
});
