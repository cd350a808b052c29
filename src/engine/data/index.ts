// Public dataset API for the worker: parse, validate, tokenize, hash, split, summarise.
export type { TokenizedExample } from './example';
export type {
  DatasetRecord,
  RecordKind,
  PromptCompletionRecord,
  MessagesRecord,
  TextRecord,
  ChatMessage,
  BadLine,
  RecordCheck,
} from './record';
export { checkRecord } from './record';
export { parseJsonl, parseJsonlLine, splitLines, iterateJsonl } from './jsonl';
export type { ParseOptions, ParseResult, NumberedLine, JsonlItem } from './jsonl';
export { textChunks, blobTextChunks } from './text-source';
export type { TextSource } from './text-source';
export { recordId, canonicalContent, canonicalRecord, duplicateKey, normaliseText } from './record-id';
export { sha256Hex } from './sha256';
export { tokenizeRecord } from './tokenize-record';
export type { TokenizeOptions } from './tokenize-record';
export { plainChatRenderer, createJinjaChatRenderer, chatRendererFor, weightedChatSegments } from './chat-render';
export type { ChatRenderer, WeightedSegment } from './chat-render';
export { parseCsv, csvColumns, splitCsvRows } from './csv';
export type { CsvColumnMapping, CsvParseResult } from './csv';
export { computeDatasetStats, lengthHistogram } from './dataset-stats';
export type { DatasetStats, DatasetStatsOptions, LengthHistogram, DuplicateGroup } from './dataset-stats';
export { datasetContentHash } from './dataset-hash';
export { scanPii, scanText, luhnValid } from './pii-scan';
export type { PiiKind, PiiFinding, PiiReport } from './pii-scan';
export { assignSplit, splitRecords, splitPosition } from './splits';
export type { SplitName, SplitFractions, DatasetSplits } from './splits';
export { recordTexts } from './record-text';
export { tokenizeRecords } from './tokenize-dataset';
export type { TokenizedDataset } from './tokenize-dataset';
export { recordToJson, recordsToJsonl } from './serialize';
export { importDataset, summariseDataset, formatOfFileName } from './import-dataset';
export type { DatasetFormat, ImportDatasetOptions, ImportedDataset, DatasetSummary } from './import-dataset';
