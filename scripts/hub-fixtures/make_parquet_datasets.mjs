// Writes small Parquet datasets in the Hub's conversion layout (datasets/{repo}/{config}/{split}/NNNN.parquet) with the
// Rust arrow-rs writer (parquet-wasm), for the e2e fake Hub and the Parquet file import spec. Run: node scripts/hub-fixtures/make_parquet_datasets.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Field, List, Struct, Table, Utf8, tableFromArrays, tableToIPC, vectorFromArray } from 'apache-arrow';
import * as pw from 'parquet-wasm/node';

const ROOT = resolve(import.meta.dirname, '../../src/engine/hub/fixtures/datasets/tunelab-test');

function write(path, table, { compression = pw.Compression.SNAPPY, rowGroupRows = 10, plain = [] } = {}) {
  let props = new pw.WriterPropertiesBuilder().setCompression(compression).setMaxRowGroupSize(rowGroupRows);
  for (const column of plain) props = props.setColumnDictionaryEnabled(column, false).setColumnEncoding(column, pw.Encoding.PLAIN);
  const bytes = pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props.build());
  const full = resolve(ROOT, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, bytes);
  console.log(path, bytes.length, 'bytes');
}

const turnType = new List(new Field('item', new Struct([new Field('from', new Utf8(), true), new Field('value', new Utf8(), true)]), true));
/** ShareGPT rows: reverse a word (the task the tiny seeded models learn), row `bad` has a "tool" turn. */
function sharegpt(first, count, bad) {
  const rows = [];
  for (let i = first; i < first + count; i++) {
    const word = `w${i.toString(36)}x`;
    const answer = [...word].reverse().join('');
    rows.push(i === bad ? [{ from: 'human', value: word }, { from: 'tool', value: answer }] : [{ from: 'system', value: 'Reverse it.' }, { from: 'human', value: word }, { from: 'gpt', value: answer }]);
  }
  return new Table({ conversations: vectorFromArray(rows, turnType) });
}

// chat-mini: ShareGPT, split train over two files (30 + 20 rows, row groups of 10, Snappy), one bad row (row 7); a test split.
write('chat-mini/default/train/0000.parquet', sharegpt(0, 30, 6));
write('chat-mini/default/train/0001.parquet', sharegpt(30, 20, -1), { compression: pw.Compression.UNCOMPRESSED });
write('chat-mini/default/test/0000.parquet', sharegpt(50, 5, -1));

// qa-mini: columns that need mapping (question/answer/tier), a null answer in row 4, the answer column PLAIN, tier dictionary,
// and row 24 longer than a Tiny World base's 64-token context (the long-row count must see Parquet rows too).
const n = 24;
write(
  'qa-mini/default/train/0000.parquet',
  tableFromArrays({
    question: Array.from({ length: n }, (_, i) => `what is ${i}+1?${i === n - 1 ? ' Explain every step.'.repeat(4) : ''}`),
    answer: Array.from({ length: n }, (_, i) => (i === 3 ? null : String(i + 1))),
    tier: Array.from({ length: n }, (_, i) => (i % 2 ? 'pro' : 'free')),
  }),
  { rowGroupRows: 8, plain: ['answer'] },
);

// zstd-mini: a codec TuneLab's reader lacks (the file import must name the column and say how to rewrite it).
write('zstd-mini/default/train/0000.parquet', tableFromArrays({ prompt: ['a', 'b'], completion: ['x', 'y'] }), { compression: pw.Compression.ZSTD });
