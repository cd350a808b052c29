// CSV import: column mapping, quoted multi-line cells, bad rows with line numbers, chunking, errors.
import { describe, expect, it } from 'vitest';
import { DatasetParseError } from '../errors';
import { csvColumns, parseCsv } from './csv';

const csv = [
  'question,answer,group,labels',
  '"2+2=",4,math,"easy,arith"',
  '"Say ""hi""","hi',
  'there",chat,',
  ',,,',
  'only one cell',
  'Q,,x,',
  'Capital of France?,Paris,,geo',
].join('\r\n');

describe('parseCsv', () => {
  it('maps a field to null to read no column for it, even one that shares its name', async () => {
    const result = await parseCsv('prompt\nhello\nworld\n', { text: 'prompt', prompt: null, completion: null });
    expect(result.records).toEqual([
      { kind: 'text', line: 2, text: 'hello' },
      { kind: 'text', line: 3, text: 'world' },
    ]);
    expect(result.badLines).toEqual([]);
  });

  it('maps columns, keeps quoted newlines, and reports bad rows by their starting line', async () => {
    const result = await parseCsv(csv, { prompt: 'question', completion: 'answer', cohort: 'group', tags: 'labels' });
    expect(result.columns).toEqual(['question', 'answer', 'group', 'labels']);
    expect(result.records).toEqual([
      { kind: 'prompt-completion', line: 2, prompt: '2+2=', completion: '4', cohort: 'math', tags: ['easy', 'arith'] },
      { kind: 'prompt-completion', line: 3, prompt: 'Say "hi"', completion: 'hi\r\nthere', cohort: 'chat' },
      { kind: 'prompt-completion', line: 8, prompt: 'Capital of France?', completion: 'Paris', tags: ['geo'] },
    ]);
    expect(result.badLines).toEqual([
      { line: 5, reason: 'line 5: has neither prompt/completion, messages, text, prompt/chosen/rejected, ShareGPT "conversations" nor Alpaca "instruction"/"output"' },
      { line: 6, reason: 'line 6: has 1 cells but the header has 4 columns (check quotes and delimiters)' },
      { line: 7, reason: 'line 7: has "prompt" but no text "completion"' },
    ]);
  });

  it('gives the same records whatever the chunk size', async () => {
    const whole = await parseCsv(csv, { prompt: 'question', completion: 'answer', cohort: 'group', tags: 'labels' });
    for (const size of [1, 3, 10]) {
      const chunks: string[] = [];
      for (let i = 0; i < csv.length; i += size) chunks.push(csv.slice(i, i + size));
      expect(await parseCsv(chunks, { prompt: 'question', completion: 'answer', cohort: 'group', tags: 'labels' })).toEqual(whole);
    }
  });

  it('uses same-named columns by default, reads messages JSON and semicolon-delimited files', async () => {
    const result = await parseCsv('text;messages\nhello;\n;"[{""role"":""user"",""content"":""hi""}]"\n;not json\n');
    expect(result.records).toEqual([
      { kind: 'text', line: 2, text: 'hello' },
      { kind: 'messages', line: 3, messages: [{ role: 'user', content: 'hi' }] },
    ]);
    expect(result.badLines[0].reason).toMatch(/^line 4: the messages cell is not valid JSON/);
    expect(csvColumns('\ufeffa,"b c",d')).toEqual(['a', 'b c', 'd']);
  });

  it('explains a mapping that does not fit the columns', async () => {
    await expect(parseCsv('a,b\n1,2\n', { prompt: 'question' })).rejects.toThrow(DatasetParseError);
    await expect(parseCsv('a,b\n1,2\n')).rejects.toThrow(/No column holds training text/);
    await expect(parseCsv('')).rejects.toThrow(/empty/);
  });

  it('streams ~20 MB of CSV in reasonable time', async () => {
    const row = '"Translate: the cat sits on the mat, quietly.","le chat est assis sur le tapis, tranquillement.",fr\n'.repeat(500);
    const count = Math.ceil(20e6 / row.length);
    async function* source() {
      yield 'prompt,completion,cohort\n';
      for (let i = 0; i < count; i++) yield row;
    }
    const start = performance.now();
    const result = await parseCsv(source());
    expect(result.records.length).toBe(count * 500);
    expect(result.records[result.records.length - 1]).toMatchObject({ line: count * 500 + 1, cohort: 'fr' });
    // Generous bound: the check is "streams, not quadratic"; ~3 s on an idle core, 8 s on our loaded machine.
    expect(performance.now() - start).toBeLessThan(30_000);
  }, 60_000);

  it('hands records to onRecord (awaited) instead of keeping them', async () => {
    const lines: number[] = [];
    const result = await parseCsv('prompt,completion\na,b\n\nc,d\n', {}, { onRecord: async (record) => void lines.push(record.line) });
    expect(lines).toEqual([2, 4]);
    expect(result.records).toEqual([]);
  });
});
