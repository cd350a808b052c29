// JSONL parsing: the three shapes, bad lines with reasons, chunk boundaries anywhere, and a 20 MB stream.
import { describe, expect, it } from 'vitest';
import { iterateJsonl, parseJsonl, splitLines } from './jsonl';
import { blobTextChunks } from './text-source';

const sample = [
  '{"prompt": "2+2=", "completion": "4", "cohort": "math"}',
  '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello", "weight": 1}], "tags": ["greet"]}',
  '{"text": "plain text"}',
  '',
  '{"prompt": "oops" "completion": "x"}',
  '[1, 2]',
  '{"foo": 1}',
  '{"prompt": "p"}',
  '{"messages": [{"role": "user"}]}',
  '{"text": "last", "tags": "a, b"}',
].join('\n');

describe('parseJsonl', () => {
  it('keeps valid lines and names bad ones with 1-based line numbers', async () => {
    const result = await parseJsonl(sample);
    expect(result.lineCount).toBe(10);
    expect(result.records.map((r) => [r.kind, r.line])).toEqual([
      ['prompt-completion', 1],
      ['messages', 2],
      ['text', 3],
      ['text', 10],
    ]);
    expect(result.records[0]).toMatchObject({ prompt: '2+2=', completion: '4', cohort: 'math' });
    expect(result.records[1]).toMatchObject({ tags: ['greet'], messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello', weight: 1 }] });
    expect(result.records[3]).toMatchObject({ tags: ['a', 'b'] });
    expect(result.badLineCount).toBe(5);
    const reasons = result.badLines.map((b) => b.reason);
    expect(reasons[0]).toMatch(/^line 5: not valid JSON \(.+\)$/);
    expect(reasons.slice(1)).toEqual([
      'line 6: expected a JSON object, got an array',
      'line 7: has neither prompt/completion, messages, text, prompt/chosen/rejected, ShareGPT "conversations" nor Alpaca "instruction"/"output"',
      'line 8: has "prompt" but no text "completion"',
      'line 9: message 1 ("user") has no text "content"',
    ]);
  });

  it('gives the same result whatever the chunk boundaries (CRLF and BOM included)', async () => {
    const text = '\ufeff' + sample.replace(/\n/g, '\r\n');
    const whole = await parseJsonl(text);
    for (const size of [1, 2, 3, 7, 64]) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const streamed = await parseJsonl((async function* () { yield* chunks; })());
      expect(streamed).toEqual(whole);
    }
    expect(whole.records[0]).toMatchObject({ line: 1, prompt: '2+2=' });
  });

  it('recognises a JSON array file and says how to convert it', async () => {
    for (const text of ['[{"text": "a"}, {"text": "b"}]', '[\n  {"text": "a"},\n  {"text": "b"}\n]']) {
      const result = await parseJsonl(text);
      expect(result.badLines[0].reason).toMatch(/^line 1: this looks like a JSON array; TuneLab reads JSON Lines/);
    }
  });

  it('splits lines without a trailing newline and keeps empty lines numbered', async () => {
    const lines = [];
    for await (const l of splitLines(['a\n', '\nb', 'c\r\n', 'd'])) lines.push(l);
    expect(lines).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: '' },
      { line: 3, text: 'bc' },
      { line: 4, text: 'd' },
    ]);
  });

  it('streams ~20 MB of chunks in reasonable time', async () => {
    const line = JSON.stringify({ prompt: 'Translate to French: the cat sits on the mat. '.repeat(3), completion: 'le chat est assis sur le tapis. '.repeat(3) });
    const linesPerChunk = 200;
    const chunk = (line + '\n').repeat(linesPerChunk);
    const chunkCount = Math.ceil(20e6 / chunk.length);
    async function* source() {
      for (let i = 0; i < chunkCount; i++) yield i === 7 ? chunk + '{bad\n' : chunk;
    }
    const start = performance.now();
    const result = await parseJsonl(source());
    const ms = performance.now() - start;
    expect(result.records.length).toBe(chunkCount * linesPerChunk);
    expect(result.badLines).toEqual([{ line: 8 * linesPerChunk + 1, reason: expect.stringMatching(/^line 1601: not valid JSON/) }]);
    expect(ms).toBeLessThan(15_000);
  }, 30_000);

  it('reads a Blob (a File in the browser) through a ReadableStream, multi-byte characters split across chunks', async () => {
    const text = '{"text": "héllo 😀"}\n{"text": "東京"}\nnope\n';
    const bytes = new TextEncoder().encode(text);
    // Many small byte parts so UTF-8 sequences straddle chunk borders.
    const parts = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const result = await parseJsonl(blobTextChunks(new Blob(parts)));
    expect(result.records.map((r) => (r.kind === 'text' ? r.text : ''))).toEqual(['héllo 😀', '東京']);
    expect(result.badLines.map((b) => b.line)).toEqual([3]);
    const items = [];
    for await (const item of iterateJsonl(text)) items.push('record' in item ? item.record.line : -item.bad.line);
    expect(items).toEqual([1, 2, -3]);
  });

  it('hands records to onRecord as they stream (not kept), awaiting a returned promise before reading on', async () => {
    const seen: number[] = [];
    const events: string[] = [];
    async function* source() {
      for (let i = 0; i < 4; i++) {
        events.push(`chunk ${i}`);
        yield `{"text": "row ${i}"}\n`;
      }
    }
    const result = await parseJsonl(source(), {
      onRecord: (record) => {
        seen.push(record.line);
        if (record.line !== 2) return undefined;
        // A slow save of row 2: the parser must not read chunk 2 before it is done.
        return new Promise<void>((resolve) => setTimeout(() => (events.push('saved 2'), resolve()), 20));
      },
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(result.records).toEqual([]);
    expect(result.lineCount).toBe(4);
    expect(events.indexOf('saved 2')).toBeLessThan(events.indexOf('chunk 2'));
  });
});
