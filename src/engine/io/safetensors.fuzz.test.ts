// Fuzz: random bytes, random headers and mutations of valid files; only SafetensorsError may come out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SafetensorsError } from '../errors';
import { Rng } from '../rng';
import { readSafetensors } from './safetensors-read';
import { writeSafetensors } from './safetensors-write';

const fixture = new Uint8Array(readFileSync(new URL('./fixtures/mixed.safetensors', import.meta.url)));

function expectOnlySafetensorsError(bytes: Uint8Array): 'ok' | 'refused' {
  try {
    const tensors = readSafetensors(bytes);
    for (const t of tensors.values()) expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
    return 'ok';
  } catch (error) {
    if (!(error instanceof SafetensorsError)) throw new Error(`Non-SafetensorsError escaped: ${String(error)}\nbytes: ${JSON.stringify([...bytes.subarray(0, 200)])}`);
    return 'refused';
  }
}

function withHeader(text: string, dataBytes: number, lengthOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setUint32(0, lengthOverride ?? json.length, true);
  out.set(json, 8);
  return out;
}

describe('safetensors fuzz', () => {
  it('survives thousands of random and mutated files in bounded time', () => {
    const rng = new Rng(1234);
    const int = (n: number) => Math.floor(rng.next() * n);
    const pick = <T>(items: T[]) => items[int(items.length)];
    const small = writeSafetensors(new Map([
      ['a', { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }],
      ['b', { shape: [3], data: new Float32Array([5, 6, 7]) }],
    ]), { format: 'pt' });
    const seeds = [fixture, small];
    const weird = [0, -1, 1.5, 2 ** 53, 2 ** 31, 1e308, NaN, null, 'x', [], {}, true, [1, 2], [[1]], 8, 4, 12, 16];
    const dtypes = ['F32', 'F16', 'BF16', 'I64', 'U8', 'F31', '', 'f32', 7, null];
    const counts = { ok: 0, refused: 0 };
    const start = performance.now();
    for (let i = 0; i < 20_000; i++) {
      let bytes: Uint8Array;
      const mode = i % 5;
      if (mode === 0) {
        bytes = new Uint8Array(int(64)).map(() => int(256));
        if (bytes.length >= 8 && rng.next() < 0.5) new DataView(bytes.buffer).setUint32(0, int(bytes.length), true);
        if (bytes.length >= 8) bytes[4] = bytes[5] = bytes[6] = bytes[7] = rng.next() < 0.8 ? 0 : bytes[4];
      } else if (mode === 1) {
        const header: Record<string, unknown> = {};
        for (let t = 0; t < 1 + int(3); t++) {
          header[`t${t}`] = rng.next() < 0.1 ? pick(weird) : {
            dtype: pick(dtypes),
            shape: rng.next() < 0.2 ? pick(weird) : Array.from({ length: int(4) }, () => (rng.next() < 0.2 ? pick(weird) : int(4))),
            data_offsets: rng.next() < 0.2 ? pick(weird) : [int(24), int(48)],
          };
        }
        if (rng.next() < 0.2) header.__metadata__ = rng.next() < 0.5 ? { k: pick(weird) } : pick(weird);
        bytes = withHeader(JSON.stringify(header), int(64), rng.next() < 0.1 ? int(2 ** 31) : undefined);
      } else {
        bytes = pick(seeds).slice();
        if (mode === 2) {
          // Flip bytes, mostly inside the header.
          const headerEnd = Math.min(bytes.length, 8 + new DataView(bytes.buffer).getUint32(0, true));
          for (let k = 0; k < 1 + int(4); k++) bytes[rng.next() < 0.8 ? int(headerEnd) : int(bytes.length)] = int(256);
        } else if (mode === 3) {
          bytes = bytes.slice(0, int(bytes.length + 1)); // truncate
        } else {
          // Rewrite a number inside the JSON text, keeping the length.
          const length = new DataView(bytes.buffer).getUint32(0, true);
          const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
          const digits = [...text.matchAll(/\d/g)];
          const chars = [...text];
          if (digits.length) chars[pick(digits).index!] = pick(['0', '9', '-', '.', 'e', '"', ',', ']']);
          const mutated = new TextEncoder().encode(chars.join(''));
          const out = new Uint8Array(8 + mutated.length + bytes.length - 8 - length);
          new DataView(out.buffer).setUint32(0, mutated.length, true);
          out.set(mutated, 8);
          out.set(bytes.subarray(8 + length), 8 + mutated.length);
          bytes = out;
        }
      }
      counts[expectOnlySafetensorsError(bytes)]++;
    }
    const ms = performance.now() - start;
    expect(counts.refused).toBeGreaterThan(10_000);
    expect(counts.ok).toBeGreaterThan(10); // some mutations stay valid (e.g. a changed value byte)
    expect(ms).toBeLessThan(20_000);
  }, 40_000);
});
