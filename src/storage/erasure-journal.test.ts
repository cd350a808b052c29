// The erasure journal: a crash or a quota error mid-way leaves every artifact either deleted and marked, or untouched; resuming finishes it.
import { describe, expect, it } from 'vitest';
import { ErasureError, StorageQuotaError } from '../engine/errors';
import { driveErasure, journalExclusion, type ErasureScan, type ErasureStore } from './erasure-journal';
import type { ErasureRecord, ErasureReport, ErasureTarget, StorageScanResult } from '../contract';

/** An in-memory store with the same all-or-nothing deletion; `failAt` makes the n-th deletion throw before it changes anything. */
function memoryStore(journal: ErasureRecord, artifacts: Set<string>) {
  const records = new Map<string, ErasureRecord>([[journal.id, structuredClone(journal)]]);
  const state = { deletions: 0, failAt: -1, failWith: (): Error => new Error('crash') };
  const store: ErasureStore = {
    async get(id) {
      const r = records.get(id);
      return r && structuredClone(r);
    },
    async deleteTarget(id, target) {
      if (state.deletions++ === state.failAt) throw state.failWith();
      artifacts.delete(`${target.kind}:${target.id}`);
      const r = records.get(id)!;
      records.set(id, { ...r, targets: r.targets.map((t) => (t.id === target.id ? { ...t, done: true } : t)) });
    },
    async put(record) {
      records.set(record.id, structuredClone(record));
    },
  };
  return { store, records, state };
}

const targets: ErasureTarget[] = [
  { kind: 'dataset', id: 'd1', name: 'data + canaries', done: false },
  { kind: 'run', id: 'r1', name: 'run on it', done: false },
  { kind: 'run', id: 'r2', name: 'ascent run', done: false },
];
const journal: ErasureRecord = { id: 'e1', createdAt: 1, state: 'deleting', targets, report: { finishedAt: null, scan: null, deleted: [] } as unknown as ErasureReport, forgotten: ['my pin is 40213'] };

function scanner(seen: { strings: string[][]; exclusions: unknown[] }): ErasureScan {
  return async (strings, exclusions) => {
    seen.strings.push([...strings]);
    seen.exclusions.push(...exclusions);
    return { strings: strings.length, hits: [] } as unknown as StorageScanResult;
  };
}

describe('erasure journal', () => {
  it('a crash after the first deletion resumes at the second; the done report keeps no strings', async () => {
    const artifacts = new Set(['dataset:d1', 'run:r1', 'run:r2', 'run:keep']);
    const { store, records, state } = memoryStore(journal, artifacts);
    state.failAt = 1;
    const seen = { strings: [] as string[][], exclusions: [] as unknown[] };
    await expect(driveErasure('e1', store, scanner(seen))).rejects.toThrow(ErasureError);
    const stopped = records.get('e1')!;
    expect(stopped.state).toBe('deleting');
    expect(stopped.targets.map((t) => t.done)).toEqual([true, false, false]);
    expect(stopped.error).toMatch(/stopped after deleting 1 of 3 artifacts: crash/);
    expect(stopped.forgotten).toEqual(['my pin is 40213']);
    expect([...artifacts]).toEqual(['run:r1', 'run:r2', 'run:keep']);
    expect(seen.strings).toEqual([]);

    state.failAt = -1; // the reload
    const done = await driveErasure('e1', store, scanner(seen));
    expect([...artifacts]).toEqual(['run:keep']);
    expect(state.deletions).toBe(4); // d1, the failed r1, then r1 and r2: nothing deleted twice
    expect(done.state).toBe('done');
    expect(done.forgotten).toBeUndefined();
    expect(done.error).toBeUndefined();
    expect(done.report.deleted.every((t) => t.done)).toBe(true);
    expect(done.report.finishedAt).toBeGreaterThan(0);
    expect(records.get('e1')!.forgotten).toBeUndefined();
    // The scan had the strings and left out only the journal's own list of them.
    expect(seen.strings).toEqual([['my pin is 40213']]);
    expect(seen.exclusions).toEqual([journalExclusion('e1')]);
    // Driving a done erasure again changes nothing.
    expect((await driveErasure('e1', store, scanner(seen))).state).toBe('done');
    expect(state.deletions).toBe(4);
  });

  it('a quota error says so and what to do, and the erasure stays resumable', async () => {
    const artifacts = new Set(['dataset:d1', 'run:r1', 'run:r2']);
    const { store, records, state } = memoryStore(journal, artifacts);
    state.failAt = 0;
    state.failWith = () => new StorageQuotaError('Not enough browser storage to save the erasure journal; nothing was saved.', 'Free space on the Storage page.');
    const error = (await driveErasure('e1', store, scanner({ strings: [], exclusions: [] })).catch((e: unknown) => e)) as ErasureError;
    expect(error).toBeInstanceOf(ErasureError);
    expect(error.message).toMatch(/after deleting 0 of 3 artifacts: Not enough browser storage/);
    expect(error.hint).toMatch(/resumes when you press Resume erasure or reload/);
    expect(records.get('e1')!.state).toBe('deleting');
    expect(artifacts.size).toBe(3);
    state.failAt = -1;
    expect((await driveErasure('e1', store, scanner({ strings: [], exclusions: [] }))).state).toBe('done');
    expect(artifacts.size).toBe(0);
  });
});
