// The in-browser pretraining stream: fresh PRETRAIN_MIX lines for every step, packed several to a sequence.
//
// Lines come from the same generator and mixture as the PyTorch corpus (scripts/pretrain/export-corpus.mjs):
// generateWorldDataset over PRETRAIN_MIX (independent draws), train split only, so no eval item of a partitioned skill ever appears and
// ROUTE (the fine-tuning target) is absent. A batch is a pure function of (seed, step, micro-batch): a resumed run
// sees exactly the data it would have seen, without storing any stream state.

import { WorldSpecError } from '../errors';
import { generateWorldDataset } from './dataset';
import { fnv1a } from './partition';
import { PRETRAIN_MIX, SKILLS, SKILL_NAMES } from './skills';
import type { SkillName } from './types';

export interface PretrainBatchSpec {
  /** The recipe's seed (the same seed also initialises the weights). */
  seed: number;
  /** 0-based optimizer step. */
  step: number;
  /** Micro-batch within the step (gradient accumulation); 0 without accumulation. */
  micro?: number;
  /** Sequences per batch. */
  batchSize: number;
  /** Characters per sequence at most (the model's context; the Tiny World tokenizer has one token per character). */
  seqLen: number;
}

export interface PackedLine {
  skill: SkillName;
  /** prompt + completion, ending in "\n". */
  text: string;
}

export interface PackedSequence {
  lines: PackedLine[];
  /** The lines concatenated: what the model reads. */
  text: string;
}

/** The skills of the pretraining mixture, in the registry's order (all but the fine-tuning target). */
export const PRETRAIN_SKILLS: readonly SkillName[] = SKILL_NAMES.filter((s) => SKILLS[s].pretrained && PRETRAIN_MIX[s] !== undefined);

/** The longest line any pretraining skill produces (characters, newline included); seqLen must hold one. */
export const LONGEST_PRETRAIN_LINE = 64;

/** Lines generated per chunk, per sequence of the batch (more chunks follow when lines run short). */
const LINES_PER_SEQUENCE_GUESS = 4;

/** Seed of one chunk of lines: distinct for every (seed, step, micro, chunk), stable across platforms. */
function chunkSeed(spec: PretrainBatchSpec, chunk: number): number {
  return fnv1a(`tiny-world-pretrain:${spec.seed}:${spec.step}:${spec.micro ?? 0}:${chunk}`) >>> 1;
}

function* mixtureLines(spec: PretrainBatchSpec): Generator<PackedLine> {
  for (let chunk = 0; ; chunk++) {
    const { examples } = generateWorldDataset({
      mix: PRETRAIN_MIX,
      size: spec.batchSize * LINES_PER_SEQUENCE_GUESS,
      split: 'train',
      seed: chunkSeed(spec, chunk),
      sampling: 'independent', // a stream of draws: FACT's 60 facts recur by design
    });
    for (const e of examples) yield { skill: e.skill, text: e.prompt + e.completion };
  }
}

/**
 * One batch of packed sequences: lines in the generator's shuffled order, each sequence filled greedily with whole
 * lines until the next one would not fit (that line opens the next sequence, so long lines are not under-sampled).
 * Packing several lines per sequence is what lets the model read earlier solved lines as few-shot examples.
 */
export function pretrainBatch(spec: PretrainBatchSpec): PackedSequence[] {
  if (!Number.isInteger(spec.batchSize) || spec.batchSize < 1) throw new WorldSpecError(`Batch size ${spec.batchSize} is not a whole number ≥ 1.`, 'Use e.g. 16.');
  if (!(spec.seqLen >= LONGEST_PRETRAIN_LINE)) {
    throw new WorldSpecError(`A sequence of ${spec.seqLen} characters cannot hold the longest Tiny World line (${LONGEST_PRETRAIN_LINE}).`, `Use a context of at least ${LONGEST_PRETRAIN_LINE}.`);
  }
  const lines = mixtureLines(spec);
  const sequences: PackedSequence[] = [];
  let current: PackedLine[] = [];
  let length = 0;
  for (const line of lines) {
    if (line.text.length > LONGEST_PRETRAIN_LINE) throw new WorldSpecError(`A ${line.skill} line has ${line.text.length} characters.`, `Raise LONGEST_PRETRAIN_LINE.`);
    if (length + line.text.length > spec.seqLen) {
      sequences.push({ lines: current, text: current.map((l) => l.text).join('') });
      if (sequences.length === spec.batchSize) break;
      current = [];
      length = 0;
    }
    current.push(line);
    length += line.text.length;
  }
  return sequences;
}
