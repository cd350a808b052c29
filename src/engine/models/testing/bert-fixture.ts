// Test data: the tiny sentence-transformers BERT checkpoint and its float64 PyTorch golden numbers (scripts/golden/make_bert_fixtures.py).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readSafetensors } from '../../io';
import type { LoraConfig } from '../../lora/config';
import type { BertConfig } from '../bert-config';
import type { WeightMap } from '../config';

export const TINY_BERT_REPO = 'tunelab-test/tiny-bert-st';
export const TINY_BERT_DIR = resolve(import.meta.dirname, '../../hub/fixtures', TINY_BERT_REPO);

interface PlainArray {
  shape: number[];
  data: number[];
}

/** Flattened [B, T, H] / [B, H] outputs of the float64 reference. */
export interface GoldenOutputs {
  hidden: number[];
  mean: number[];
  cls: number[];
  meanNormalized: number[];
  clsNormalized: number[];
}

export interface BertGolden {
  texts: string[];
  /** What a plain greedy WordPiece (the script's own) gives for `texts`, right-padded; mask 1 on real tokens. */
  ids: number[][];
  mask: number[][];
  adapter: LoraConfig & { weights: Record<string, PlainArray> };
  pair: { ids: number[][]; tokenTypeIds: number[][]; hidden: number[] };
  base: GoldenOutputs;
  withLora: GoldenOutputs;
}

export const bertGolden = JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/bert-tiny.golden.json'), 'utf8')) as BertGolden;

export const tinyBertFile = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(TINY_BERT_DIR, name)));
export const tinyBertJson = (name: string): unknown => JSON.parse(readFileSync(resolve(TINY_BERT_DIR, name), 'utf8'));
export const tinyBertConfig = (): BertConfig => tinyBertJson('config.json') as BertConfig;
export const tinyBertWeights = (): WeightMap => readSafetensors(tinyBertFile('model.safetensors'));

export function weightMapOf(record: Record<string, PlainArray>): WeightMap {
  return new Map(Object.entries(record).map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data) }]));
}
