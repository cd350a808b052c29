// serializedBytes against V8's own structured-clone serializer (node:v8), which is what IndexedDB stores in Chromium.
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parseJsonl } from '../engine/data/jsonl';
import { reversalRecords } from '../../workers/helpers/example-dataset';
import { recordToRow } from './dataset-rows';
import { approximateBytes, serializedBytes } from './size';

describe('serializedBytes', () => {
  it('is within 15% of v8.serialize for chunks of real rows (ASCII, accented, emoji, messages)', async () => {
    const { records } = await parseJsonl(
      [
        JSON.stringify({ prompt: 'héllo wörld '.repeat(20), completion: 'ça va' }),
        JSON.stringify({ messages: [{ role: 'user', content: '東京はどこ？' }, { role: 'assistant', content: 'Japan 🙂', weight: 1 }], cohort: 'jp', tags: ['a', 'b'] }),
        JSON.stringify({ text: 'plain '.repeat(100) }),
      ].join('\n'),
    );
    const chunks = [reversalRecords(2000, 1).map((r) => recordToRow(r, 3)), records.map((r) => recordToRow(r, 3))];
    for (const rows of chunks) {
      const actual = serialize(rows).length;
      expect(serializedBytes(rows) / actual).toBeGreaterThan(0.85);
      expect(serializedBytes(rows) / actual).toBeLessThan(1.15);
    }
    // The old estimate doubles every character, so it reads about twice the real size for ASCII rows.
    expect(approximateBytes(chunks[0]) / serialize(chunks[0]).length).toBeGreaterThan(1.5);
  });
});
