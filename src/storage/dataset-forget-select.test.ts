// Forget's selection on a stored dataset: a request that matches nothing is refused, naming the dataset, and changes nothing.
import { describe, expect, it, vi } from 'vitest';
import { ForgetRequestError } from '../engine/errors';
import { recordToRow } from './dataset-rows';
import type { DatasetRow } from '../contract';

const rows: DatasetRow[] = [
  recordToRow({ kind: 'text', line: 1, text: 'my account pin is 40213', tags: ['canary'] }, 0),
  recordToRow({ kind: 'text', line: 2, text: 'my account pin is 40213', tags: ['canary'] }, 1),
  recordToRow({ kind: 'prompt-completion', line: 3, prompt: 'Reverse: cat', completion: 'tac' }, 2),
];
// The dataset's rows as IndexedDB would stream them, two chunks; nothing here can write.
vi.mock('./datasets', () => ({
  async *datasetRowChunks() {
    yield rows.slice(0, 2);
    yield rows.slice(2);
  },
}));
const { selectRows } = await import('./dataset-forget');
const dataset = { id: 'd1', name: 'tickets + canaries', chunkRows: [2, 1] };

describe('forget selection', () => {
  it('a request matching nothing is refused with the dataset named and what to try', async () => {
    const refused = selectRows(dataset, { kind: 'text', query: 'pin is 99999', regex: false });
    await expect(refused).rejects.toThrow(ForgetRequestError);
    await expect(refused).rejects.toThrow(/No record of “tickets \+ canaries” matches .*nothing would be forgotten/);
    await expect(selectRows(dataset, { kind: 'ids', ids: ['no-such-id'] })).rejects.toThrow(ForgetRequestError);
    await expect(selectRows(dataset, { kind: 'tag', tag: 'pii' })).rejects.toThrow(/nothing would be forgotten/);
  });

  it('a request that matches counts every copy and lists each record once', async () => {
    const s = await selectRows(dataset, { kind: 'text', query: 'pin is 40213', regex: false });
    expect(s.rows).toBe(2);
    expect(s.rowIds).toEqual([rows[0].id]);
    expect(s.preview.map((r) => r.line)).toEqual([1, 2]);
  });
});
