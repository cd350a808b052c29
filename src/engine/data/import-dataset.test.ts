// importDataset picks the parser from the file name and streams Files; summariseDataset combines the reports.
import { describe, expect, it } from 'vitest';
import { DatasetParseError } from '../errors';
import { buildCharTokenizerJson } from '../tokenizers/char-tokenizer-json';
import { loadTokenizer } from '../tokenizers/load';
import { formatOfFileName, importDataset, summariseDataset } from './import-dataset';

describe('importDataset', () => {
  it('reads JSONL and CSV/TSV Files by name', async () => {
    const jsonl = await importDataset(new File(['{"text":"ab"}\n{bad\n'], 'd.jsonl'));
    expect(jsonl.format).toBe('jsonl');
    expect(jsonl.records).toEqual([{ kind: 'text', line: 1, text: 'ab' }]);
    expect(jsonl.badLines.map((b) => b.line)).toEqual([2]);
    const tsv = await importDataset(new File(['q\ta\nhi\tyo\n'], 'd.tsv'), { columnMapping: { prompt: 'q', completion: 'a' } });
    expect(tsv.columns).toEqual(['q', 'a']);
    expect(tsv.records).toEqual([{ kind: 'prompt-completion', line: 2, prompt: 'hi', completion: 'yo' }]);
    expect(formatOfFileName('X.NDJSON')).toBe('jsonl');
    await expect(importDataset('x', { name: 'data.parquet' })).rejects.toThrow(DatasetParseError);
  });

  it('summarises a dataset', async () => {
    const { records } = await importDataset('{"text":"ab"}\n{"text":"ab"}\n{"text":"mail a@b.com"}\n', { format: 'jsonl' });
    const summary = await summariseDataset(records, loadTokenizer(buildCharTokenizerJson([...'abcdefghijklmnopqrstuvwxyz @.'])));
    expect(summary.stats.duplicateCount).toBe(1);
    expect(summary.stats.tokenLengths?.max).toBe('mail a@b.com'.length + 1);
    expect(summary.pii.email.exampleLines).toEqual([3]);
    expect(summary.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
