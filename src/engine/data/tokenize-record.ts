// Turns a dataset record into token ids and per-token loss weights (prompt 0, completion 1, per-message weights); a preference pair into both sides.

import type { Tokenizer } from '../tokenizers/tokenizer';
import { chatRendererFor, weightedChatSegments, type ChatRenderer, type WeightedSegment } from './chat-render';
import type { TokenizedExample } from './example';
import { preferenceSides } from './preference';
import type { ChatMessage, DatasetRecord, PreferenceRecord } from './record';
import { recordId } from './record-id';

export interface TokenizeOptions {
  /** Keep at most this many tokens (the start is kept; `truncated` is set). */
  maxSeqLen: number;
  /**
   * Append EOS (weighted like the text it ends) unless the sequence already ends with it, or, for messages,
   * the rendered conversation already contains it (chat templates close turns themselves). Default true.
   */
  appendEos?: boolean;
  /** Roles whose messages are trained on. Default ['assistant']. */
  trainRoles?: readonly string[];
  /** How messages become text. Default: the tokenizer's chat template if it has one, else plainChatRenderer. */
  chatRenderer?: ChatRenderer;
}

function segmentsOf(record: Exclude<DatasetRecord, PreferenceRecord>, tokenizer: Tokenizer, options: TokenizeOptions): WeightedSegment[] {
  switch (record.kind) {
    case 'prompt-completion':
      return [
        { text: record.prompt, weight: 0 },
        { text: record.completion, weight: 1 },
      ];
    case 'text':
      return [{ text: record.text, weight: 1 }];
    case 'messages': {
      const roles = options.trainRoles ?? ['assistant'];
      const weightOf = (m: ChatMessage) => (roles.includes(m.role) ? (m.weight ?? 1) : 0);
      return weightedChatSegments(record.messages, options.chatRenderer ?? chatRendererFor(tokenizer), weightOf);
    }
  }
}

/** Adjacent segments with the same weight joined, empty ones dropped. */
function mergeSegments(segments: readonly WeightedSegment[]): WeightedSegment[] {
  const merged: WeightedSegment[] = [];
  for (const segment of segments) {
    if (segment.text.length === 0) continue;
    const last = merged[merged.length - 1];
    if (last && last.weight === segment.weight) last.text += segment.text;
    else merged.push({ ...segment });
  }
  return merged;
}

function commonPrefixLength(a: readonly number[], b: readonly number[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * The whole text is encoded once, exactly as at inference, so SentencePiece-style tokenizers (Llama's "▁"
 * prefix) and BPE merges see no artificial cuts. A segment ends at token k = the common prefix of
 * encode(text up to the segment end) and the full encoding: the prompt's own encoding when it is a prefix (the
 * usual case); a token that straddles a boundary belongs to the later segment. BOS is prepended when the
 * tokenizer wants one and the text does not already start with it.
 * weights[t] weighs predicting ids[t]; weights[0] is always 0 (nothing predicts the first token).
 */
export function tokenizeRecord(record: DatasetRecord, tokenizer: Tokenizer, options: TokenizeOptions): TokenizedExample {
  if (record.kind === 'preference') {
    // The pair: prompt + chosen (what SFT trains on), with prompt + rejected beside it for DPO.
    const [chosen, rejected] = preferenceSides(record).map((side) => tokenizeRecord(side, tokenizer, options));
    return { ...chosen, id: recordId(record), rejected: { ids: rejected.ids, weights: rejected.weights, ...(rejected.truncated && { truncated: true }) } };
  }
  const segments = mergeSegments(segmentsOf(record, tokenizer, options));
  const fullText = segments.map((s) => s.text).join('');
  const ids = fullText.length ? tokenizer.encode(fullText) : [];
  const weights = new Array<number>(ids.length).fill(0);
  let tokenStart = 0;
  let charEnd = 0;
  let lastWeight = 0;
  for (let i = 0; i < segments.length; i++) {
    charEnd += segments[i].text.length;
    const tokenEnd = i === segments.length - 1 ? ids.length : Math.max(tokenStart, commonPrefixLength(tokenizer.encode(fullText.slice(0, charEnd)), ids));
    weights.fill(segments[i].weight, tokenStart, tokenEnd);
    if (tokenEnd > tokenStart) lastWeight = segments[i].weight;
    tokenStart = tokenEnd;
  }
  if (tokenizer.addBosToken && tokenizer.bosId !== undefined && ids[0] !== tokenizer.bosId) {
    ids.unshift(tokenizer.bosId);
    weights.unshift(0);
  }
  // A chat template ends turns itself (Qwen's <|im_end|> is its eos): add EOS only where the text has none.
  const endsItself = record.kind === 'messages' && ids.includes(tokenizer.eosId ?? -1);
  if ((options.appendEos ?? true) && tokenizer.eosId !== undefined && !endsItself && ids[ids.length - 1] !== tokenizer.eosId) {
    ids.push(tokenizer.eosId);
    weights.push(lastWeight);
  }
  const truncated = ids.length > options.maxSeqLen;
  if (truncated) {
    ids.length = options.maxSeqLen;
    weights.length = options.maxSeqLen;
  }
  if (weights.length) weights[0] = 0;
  const example: TokenizedExample = { id: recordId(record), ids, weights };
  if (record.cohort !== undefined) example.cohort = record.cohort;
  if (truncated) example.truncated = true;
  return example;
}
