// Reading from a Blob gives the same tensors as reading the bytes, and the same errors for hostile files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SafetensorsError } from '../errors';
import { readSafetensorsBlob, readSafetensorsHeaderFromBlob } from './safetensors-blob';
import { readSafetensors } from './safetensors-read';

const fixture = new Uint8Array(readFileSync(new URL('./fixtures/mixed.safetensors', import.meta.url)));

describe('readSafetensorsBlob', () => {
  it('matches readSafetensors on the golden file, with progress and a filter', async () => {
    const progress: number[] = [];
    const fromBlob = await readSafetensorsBlob(new Blob([fixture]), { onProgress: (p) => progress.push(p.bytes / p.totalBytes) });
    expect(fromBlob).toEqual(readSafetensors(fixture));
    expect(progress.at(-1)).toBe(1);
    const some = await readSafetensorsBlob(new Blob([fixture]), { include: (n) => n.startsWith('layers.1') });
    expect([...some.keys()].sort()).toEqual(['layers.1.bf16', 'layers.1.special_bf16']);
  });

  it('refuses truncated and hostile blobs with SafetensorsError', async () => {
    for (const bytes of [fixture.subarray(0, 5), fixture.subarray(0, 100), fixture.subarray(0, fixture.length - 1), new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0])]) {
      await expect(readSafetensorsBlob(new Blob([bytes]))).rejects.toThrow(SafetensorsError);
    }
    expect((await readSafetensorsHeaderFromBlob(new Blob([fixture]))).tensors.length).toBe(7);
  });
});
