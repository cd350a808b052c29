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
export { parseJsonl, parseJsonlLine, splitLines } from './jsonl';
export type { TextSource, ParseOptions, ParseResult, NumberedLine } from './jsonl';
export { recordId, canonicalContent, canonicalRecord, duplicateKey, normaliseText } from './record-id';
export { sha256Hex } from './sha256';
export { tokenizeRecord } from './tokenize-record';
export type { TokenizeOptions } from './tokenize-record';
export { plainChatRenderer, createJinjaChatRenderer, chatRendererFor, weightedChatSegments } from './chat-render';
export type { ChatRenderer, WeightedSegment } from './chat-render';
