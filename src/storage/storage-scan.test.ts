// The storage scan's walk over stored values: strings, keys, nested arrays/maps, byte buffers as UTF-8; weights skipped and counted.
import { describe, expect, it } from 'vitest';
import { needlesIn, scanValue, type ScanCounters, type ValueHit } from './storage-scan';

function scan(value: unknown, needles: string[]) {
  const hits: ValueHit[] = [];
  const counters: ScanCounters = { values: 0, bytes: 0, floatArrays: 0 };
  scanValue(value, needles, (h) => hits.push(h), counters);
  return { hits, counters };
}

describe('storage scan', () => {
  it('finds each needle where it is, with its path', () => {
    const chunk = { datasetId: 'd', index: 0, rows: [{ id: 'x', completion: 'plain' }, { id: 'y', completion: 'my account pin is 40213', tags: ['canary'] }] };
    const { hits } = scan(chunk, ['pin is 40213', 'absent']);
    expect(hits).toEqual([{ path: 'rows[1].completion', string: 0 }]);
  });

  it('reads keys, maps, sets and byte buffers (UTF-8), and skips float arrays', () => {
    const bytes = new TextEncoder().encode('{"text":"née à 40213"}');
    const value = {
      'key 40213': 1,
      weights: new Map<string, unknown>([['a', { data: new Float32Array([1, 2]) }], ['tok', bytes.buffer]]),
      seen: new Set(['x', 'tail 40213']),
      view: bytes.subarray(9, 22), // "née à 40213": 13 bytes (é and à are two each)
    };
    const { hits, counters } = scan(value, ['40213', 'née à']);
    const paths = hits.map((h) => `${h.path}#${h.string}`).sort();
    expect(paths).toEqual(['(key key 40213)#0', 'seen{1}#0', 'view#0', 'view#1', 'weights.tok#0', 'weights.tok#1'].sort());
    expect(counters.floatArrays).toBe(1);
  });

  it('finds nothing when nothing matches, and never matches an empty needle', () => {
    expect(scan({ a: 'abc', b: [1, 2, null] }, ['zzz', '']).hits).toEqual([]);
    expect(needlesIn('abc', ['', 'b', 'abc', 'abcd'])).toEqual([1, 2]);
  });
});
