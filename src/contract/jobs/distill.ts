// Distillation job: a teacher (a run's base or its fine-tuned model) answers a prompt source; rows come back for review.
import type { SerializedError } from '../../engine/errors';
import type { ProducerId } from '../../engine/teacher/port';
import type { SplitName } from '../../engine/data/splits';

export type { ProducerId } from '../../engine/teacher/port';

/** The teacher: a run's base model ('base') or the run's latest fine-tuned weights ('tuned'). */
export interface DistillTeacherChoice {
  runId: string;
  side: 'base' | 'tuned';
}

export type DistillPromptSource =
  /** A stored dataset's prompts (rows without a prompt are skipped); its completions are the reference answers. */
  | { kind: 'dataset'; datasetId: string; split: SplitName | 'all'; limit: number }
  /** Tiny World items of one skill: `split` 'train' draws from the training part, 'eval' from the held-out one. */
  | { kind: 'world'; skill: string; count: number; seed: number; split: 'train' | 'eval' };

export interface DistillInput {
  teacher: DistillTeacherChoice;
  source: DistillPromptSource;
  maxTokens: number;
  /** 0 = greedy. */
  temperature: number;
  topP: number;
  seed: number;
  /** Keep empty answers (a comparison counts them as wrong) instead of stopping with a named error at the first one. */
  allowEmpty?: boolean;
}

export interface DistillRow {
  /** 0-based position in the prompt source. */
  index: number;
  prompt: string;
  /** The teacher's answer, stop token left out. */
  completion: string;
  finishReason: 'stop' | 'length' | 'context';
  /** The source's own answer, when it has one (Tiny World items, dataset rows with a completion). */
  reference?: string;
  /** The seed this row was sampled with. */
  seed: number;
}

export interface DistillProgress {
  done: number;
  total: number;
  /** Generated tokens so far (for tokens/s). */
  tokens: number;
}

export interface DistillResult {
  /** 'complete': every prompt answered; otherwise `rows` holds what was generated before the cancel or failure: a draft. */
  status: 'complete' | 'cancelled' | 'failed';
  error?: SerializedError;
  /** Finished rows in prompt order (a draft may have gaps). */
  rows: DistillRow[];
  total: number;
  producer: ProducerId;
  /** What the teacher's answers need appended to train on as completions (Tiny World rows end at "\n"); '' otherwise. */
  stopSuffix: string;
  /** The prompt source in words, for the new dataset's name and lineage. */
  sourceLabel: string;
  tokens: number;
  elapsedMs: number;
}
