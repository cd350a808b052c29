// Stored dataset rows ↔ the data layer's records: seeded split, flat prompt/completion for the char trainer, view stats.
// Direct module imports (not the index files) keep the UI bundle, which runs migrations, free of the HF tokenizers.
import { plainChatRenderer } from '../engine/data/chat-render';
import { datasetContentHash } from '../engine/data/dataset-hash';
import { computeDatasetStats } from '../engine/data/dataset-stats';
import { scanPii } from '../engine/data/pii-scan';
import type { DatasetRecord as SourceRecord } from '../engine/data/record';
import { canonicalRecord, recordId } from '../engine/data/record-id';
import { preferenceSides } from '../engine/data/preference';
import { recordTexts } from '../engine/data/record-text';
import { sha256Hex } from '../engine/data/sha256';
import { assignSplit, type SplitFractions } from '../engine/data/splits';
import { buildCharTokenizerJson } from '../engine/tokenizers/char-tokenizer-json';
import { CharTokenizer } from '../engine/tokenizers/char-tokenizer';
import type { DatasetRow, DatasetStats, SplitName } from '../contract';

/** 80 / 10 / 10: what every dataset in TuneLab is split with. */
export const SPLIT_FRACTIONS: SplitFractions = { validation: 0.1, test: 0.1 };

/** Prompt (no loss) and completion (loss) of a record, as the char-level trainer reads them. */
function flatten(record: SourceRecord): { prompt: string; completion: string } {
  switch (record.kind) {
    case 'prompt-completion':
      return { prompt: record.prompt, completion: record.completion };
    case 'text':
      return { prompt: '', completion: record.text };
    case 'messages': {
      const last = record.messages.at(-1)!;
      // The last assistant turn is learnt, the conversation before it conditions (plain "role: content" rendering).
      if (last.role === 'assistant') return { prompt: plainChatRenderer(record.messages.slice(0, -1), true), completion: last.content };
      return { prompt: plainChatRenderer(record.messages, false), completion: '' };
    }
    case 'preference':
      // The chosen side, as SFT on a preference dataset trains on it.
      return flatten(preferenceSides(record)[0]);
  }
}

/** One stored row for a parsed record; its split depends only on the seed and the record's content. */
export function recordToRow(record: SourceRecord, seed: number, fractions: SplitFractions = SPLIT_FRACTIONS): DatasetRow {
  const id = recordId(record);
  const row: DatasetRow = { id, line: record.line, split: assignSplit(seed, id, fractions), kind: record.kind, ...flatten(record) };
  if (record.kind === 'messages') row.messages = record.messages;
  if (record.kind === 'preference') {
    row.preference = { prompt: record.prompt, chosen: record.chosen, rejected: record.rejected };
    row.rejected = flatten(preferenceSides(record)[1]).completion;
  }
  if (record.cohort !== undefined) row.cohort = record.cohort;
  if (record.tags !== undefined) row.tags = record.tags;
  return row;
}

/** The data layer's record a row was made from (exactly: messages keep their weights). */
export function rowRecord(row: DatasetRow): SourceRecord {
  const common = { line: row.line, ...(row.cohort !== undefined && { cohort: row.cohort }), ...(row.tags !== undefined && { tags: row.tags }) };
  if (row.kind === 'messages') return { kind: 'messages', ...common, messages: row.messages ?? [] };
  if (row.kind === 'text') return { kind: 'text', ...common, text: row.completion };
  if (row.kind === 'preference' && row.preference) return { kind: 'preference', ...common, ...row.preference };
  return { kind: 'prompt-completion', ...common, prompt: row.prompt, completion: row.completion };
}

/** A char tokenizer over the characters of these records: the tokens the char-level models see. */
export function datasetCharTokenizer(records: readonly SourceRecord[]): CharTokenizer {
  const chars = new Set<string>();
  for (const record of records) for (const text of recordTexts(record)) for (const c of text) chars.add(c);
  return new CharTokenizer(buildCharTokenizerJson([...chars].sort()));
}

function viewStats(records: readonly SourceRecord[], rows: readonly DatasetRow[], badLines: number): DatasetStats {
  const tokenizer = datasetCharTokenizer(records);
  const summary = computeDatasetStats(records, { tokenizer });
  const splits: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  for (const row of rows) splits[row.split]++;
  return {
    rows: rows.length,
    badLines,
    duplicates: summary.duplicateCount,
    summary,
    tokenizer: `char tokenizer of this dataset (${tokenizer.vocabSize} tokens incl. <pad> <eos> <unk>; EOS counted)`,
    pii: scanPii(records),
    splits,
    splitFractions: SPLIT_FRACTIONS,
  };
}

/** sha-256 and the numbers of the dataset view, as the import stores them. */
export async function summariseRows(rows: readonly DatasetRow[], badLines: number): Promise<{ sha256: string; stats: DatasetStats }> {
  const records = rows.map(rowRecord);
  return { sha256: await datasetContentHash(records), stats: viewStats(records, rows, badLines) };
}

/**
 * The same as summariseRows without awaiting anything, for the IndexedDB upgrade transaction (which commits at the
 * first non-IDB await): datasetContentHash's definition, with the final digest taken by the JS sha-256.
 */
export function summariseRowsNow(rows: readonly DatasetRow[], badLines: number): { sha256: string; stats: DatasetStats } {
  const records = rows.map(rowRecord);
  const digests = records.map((r) => sha256Hex(canonicalRecord(r))).sort();
  return { sha256: sha256Hex(digests.join('\n')), stats: viewStats(records, rows, badLines) };
}
