// Parquet import against files written by an independent writer (arrow-rs through parquet-wasm): row groups, encodings, nulls, codecs.
import { describe, expect, it } from 'vitest';
import { Field, List, Struct, Table, Utf8, tableFromArrays, tableToIPC, vectorFromArray } from 'apache-arrow';
import * as pw from 'parquet-wasm/node';
import { DatasetParseError, ParquetFormatError } from '../errors';
import { bytesBuffer, blobBuffer, detectTableFormat, parseParquet, readParquetInfo, type TableMapping } from './parquet';
import type { DatasetRecord } from './record';

interface WriteOptions {
  compression?: pw.Compression;
  rowGroupRows?: number;
  /** Columns written without a dictionary, PLAIN-encoded. */
  plainColumns?: string[];
}

/** Writes an Arrow table as Parquet with the Rust arrow-rs writer (parquet-wasm). */
function writeParquet(table: Table, options: WriteOptions = {}): Uint8Array {
  let props = new pw.WriterPropertiesBuilder().setCompression(options.compression ?? pw.Compression.SNAPPY).setMaxRowGroupSize(options.rowGroupRows ?? 1024);
  for (const column of options.plainColumns ?? []) props = props.setColumnDictionaryEnabled(column, false).setColumnEncoding(column, pw.Encoding.PLAIN);
  return pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props.build());
}

/** 25 prompt/completion rows; row 7 has no prompt (null), row 12 no completion (null), cohorts repeat (dictionary-friendly). */
const N = 25;
const prompts = Array.from({ length: N }, (_, i) => (i === 6 ? null : `question ${i + 1}?`));
const completions = Array.from({ length: N }, (_, i) => (i === 11 ? null : `answer ${i + 1}`));
const cohorts = Array.from({ length: N }, (_, i) => ['a', 'b', 'c'][i % 3]);
const qa = () => tableFromArrays({ prompt: prompts, completion: completions, cohort: cohorts });

async function parse(bytes: Uint8Array, mapping: TableMapping, extra: Parameters<typeof parseParquet>[3] = {}) {
  const file = bytesBuffer(bytes);
  const info = await readParquetInfo(file);
  return { info, result: await parseParquet(file, info, mapping, { maxBadLines: 50, ...extra }) };
}

function expectedQa(): DatasetRecord[] {
  const out: DatasetRecord[] = [];
  for (let i = 0; i < N; i++) {
    if (completions[i] === null) continue;
    out.push({ kind: 'prompt-completion', line: i + 1, cohort: cohorts[i], prompt: prompts[i] ?? '', completion: completions[i] as string });
  }
  return out;
}

const columns: TableMapping = { format: 'columns', prompt: 'prompt', completion: 'completion', cohort: 'cohort' };

describe('Parquet import', () => {
  for (const [name, compression] of [
    ['snappy', pw.Compression.SNAPPY],
    ['uncompressed', pw.Compression.UNCOMPRESSED],
    ['gzip', pw.Compression.GZIP],
  ] as const) {
    it(`reads every row of a ${name} file with 3 row groups, dictionary and plain columns, nulls`, async () => {
      const bytes = writeParquet(qa(), { compression, rowGroupRows: 10, plainColumns: ['completion'] });
      const { info, result } = await parse(bytes, columns);
      // The file has what the test claims: 3 row groups, the codec, a dictionary-encoded and a plain column.
      expect(info.rowGroups).toBe(3);
      const chunks = info.metadata.row_groups[0].columns.map((c) => c.meta_data!);
      expect(chunks.every((c) => c.codec === name.toUpperCase())).toBe(true);
      expect(chunks.find((c) => c.path_in_schema[0] === 'prompt')!.encodings).toContain('RLE_DICTIONARY');
      expect(chunks.find((c) => c.path_in_schema[0] === 'completion')!.encodings).not.toContain('RLE_DICTIONARY');
      expect(result.records).toEqual(expectedQa());
      expect(result.badLines).toEqual([{ line: 12, reason: 'row 12: the completion column "completion" is empty' }]);
      expect(result.lineCount).toBe(N);
    });
  }

  it('detects prompt/completion by column names and reads them as JSONL rows would be (a null prompt is a bad row there)', async () => {
    const bytes = writeParquet(qa(), { rowGroupRows: 7 });
    const file = bytesBuffer(bytes);
    const info = await readParquetInfo(file);
    expect(detectTableFormat(info.columns)).toBe('prompt-completion');
    const result = await parseParquet(file, info, { format: 'detected' });
    expect(result.records).toHaveLength(N - 2);
    expect(result.badLines.map((b) => b.line)).toEqual([7, 12]);
    expect(result.badLines[0].reason).toBe('row 7: has "completion" but no text "prompt"');
  });

  it('maps one column as plain text when no prompt column is chosen', async () => {
    const { result } = await parse(writeParquet(qa()), { format: 'columns', prompt: null, completion: 'prompt', cohort: null });
    expect(result.records[0]).toEqual({ kind: 'text', line: 1, text: 'question 1?' });
    expect(result.badLines).toEqual([{ line: 7, reason: 'row 7: the text column "prompt" is empty' }]);
  });

  it('reads ShareGPT conversations (a list of structs) as chat messages and names a bad turn', async () => {
    const turn = new Struct([new Field('from', new Utf8(), true), new Field('value', new Utf8(), true)]);
    const conversations = vectorFromArray(
      [
        [{ from: 'system', value: 'Be brief.' }, { from: 'human', value: 'hi' }, { from: 'gpt', value: 'hello' }],
        [{ from: 'human', value: 'call it' }, { from: 'tool', value: '42' }],
        [{ from: 'human', value: '2+2?' }, { from: 'gpt', value: '4' }],
      ],
      new List(new Field('item', turn, true)),
    );
    const bytes = writeParquet(new Table({ conversations }), { rowGroupRows: 2 });
    const { info, result } = await parse(bytes, { format: 'detected' });
    expect(info.columns).toEqual([{ name: 'conversations', type: 'list', nested: true }]);
    expect(detectTableFormat(info.columns)).toBe('sharegpt');
    expect(result.records).toEqual([
      { kind: 'messages', line: 1, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] },
      { kind: 'messages', line: 3, messages: [{ role: 'user', content: '2+2?' }, { role: 'assistant', content: '4' }] },
    ]);
    expect(result.badLines).toEqual([{ line: 2, reason: 'row 2: turn 2 of "conversations" is from "tool"; ShareGPT turns are from human, gpt or system' }]);
  });

  it('reads Alpaca rows (input null or empty) as a user/assistant exchange', async () => {
    const table = tableFromArrays({ instruction: ['Add.', 'Greet.', 'Name it.'], input: ['2 and 3', null, ''], output: ['5', 'Hello!', ''] });
    const { result } = await parse(writeParquet(table), { format: 'detected' });
    expect(result.records).toEqual([
      { kind: 'messages', line: 1, messages: [{ role: 'user', content: 'Add.\n\n2 and 3' }, { role: 'assistant', content: '5' }] },
      { kind: 'messages', line: 2, messages: [{ role: 'user', content: 'Greet.' }, { role: 'assistant', content: 'Hello!' }] },
    ]);
    expect(result.badLines).toEqual([{ line: 3, reason: 'row 3: "output" is empty, so there is nothing to learn' }]);
  });

  it('refuses a codec it cannot decompress, naming the column and how to rewrite the file', async () => {
    const bytes = writeParquet(qa(), { compression: pw.Compression.ZSTD });
    const error = await parse(bytes, columns).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParquetFormatError);
    expect((error as ParquetFormatError).message).toBe(
      'Column "prompt" is compressed with ZSTD, which TuneLab\'s Parquet reader cannot decompress (it reads Snappy, gzip and uncompressed files).',
    );
    expect((error as ParquetFormatError).hint).toContain('compression="snappy"');
  });

  it('refuses an encoding the reader lacks, by column, from the footer alone (no row is read)', async () => {
    const file = bytesBuffer(writeParquet(qa()));
    const info = await readParquetInfo(file);
    // No writer at hand emits an encoding hyparquet lacks, so the footer of a real file is edited to name one.
    const chunk = info.metadata.row_groups[0].columns.find((c) => c.meta_data!.path_in_schema[0] === 'completion')!;
    chunk.meta_data!.encodings = [...chunk.meta_data!.encodings, 'GROUP_VAR_INT'];
    const error = await parseParquet(file, info, columns).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParquetFormatError);
    expect((error as Error).message).toBe('Column "completion" uses the GROUP_VAR_INT encoding, which TuneLab\'s Parquet reader cannot decode.');
  });

  it('refuses a nested column mapped as the completion, by name', async () => {
    const conversations = vectorFromArray([[{ from: 'human', value: 'x' }]], new List(new Field('item', new Struct([new Field('from', new Utf8()), new Field('value', new Utf8())]), true)));
    const bytes = writeParquet(new Table({ conversations }));
    const error = await parse(bytes, { format: 'columns', prompt: null, completion: 'conversations', cohort: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParquetFormatError);
    expect((error as Error).message).toMatch(/^Column "conversations" holds nested values \(a list\), not text/);
  });

  it('says when a file is not Parquet, and when no column holds text', async () => {
    await expect(readParquetInfo(bytesBuffer(new TextEncoder().encode('{"prompt":"a","completion":"b"}\n')))).rejects.toBeInstanceOf(DatasetParseError);
    const bytes = writeParquet(tableFromArrays({ label: [1, 2], score: [0.5, 0.2] }));
    await expect(parse(bytes, { format: 'detected' })).rejects.toThrow('No column holds training text in a form TuneLab knows. The columns are: label, score.');
  });

  it('reads a Blob by ranges, reports bytes per row group up to the file size, and stops when aborted', async () => {
    const bytes = writeParquet(qa(), { rowGroupRows: 5 });
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
    const file = blobBuffer(blob);
    const info = await readParquetInfo(file);
    const seen: number[] = [];
    const result = await parseParquet(file, info, columns, { onBytes: (b) => seen.push(b) });
    expect(result.records).toEqual(expectedQa());
    expect(seen.length).toBe(info.rowGroups + 1);
    expect(seen.every((b, i) => i === 0 || b > seen[i - 1])).toBe(true);
    expect(seen[seen.length - 1]).toBeLessThanOrEqual(bytes.length);
    expect(seen[seen.length - 1]).toBeGreaterThan(bytes.length * 0.5);
    const controller = new AbortController();
    let groups = 0;
    const aborted = parseParquet(file, info, columns, {
      onProgress: () => {
        if (++groups === 2) controller.abort();
      },
      signal: controller.signal,
    });
    await expect(aborted).rejects.toThrow();
    expect(groups).toBe(2);
  });

  it('numbers rows after an offset (a split spread over several files) and stops at maxRows', async () => {
    const { result } = await parse(writeParquet(qa(), { rowGroupRows: 4 }), columns, { rowOffset: 100, maxRows: 6 });
    expect(result.records.map((r) => r.line)).toEqual([101, 102, 103, 104, 105, 106]);
    expect(result.lineCount).toBe(106);
  });
});
