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
  /** Source positions already answered (a resumed draft): only the other prompts are asked, each with its own seed. */
  skip?: number[];
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
  /** The source dataset row's record id (absent for Tiny World items): forgetting that record finds this row's copy. */
  sourceRowId?: string;
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
  /** The dataset the prompts came from (absent for Tiny World items). */
  sourceDataset?: { id: string; sha256: string };
  tokens: number;
  elapsedMs: number;
}

/** The prompts of a source, read (and Tiny World items generated) in the GPU worker for a teacher that runs elsewhere (web-llm). */
export interface DistillPrompts {
  items: { prompt: string; reference?: string; sourceRowId?: string }[];
  label: string;
  dataset?: { id: string; sha256: string };
  /** The source's completions end with "\n" (Tiny World lines). */
  endsWithNewline: boolean;
  /** Tiny World sources: the skill's solved examples asked for (none otherwise). */
  shots: { prompt: string; completion: string }[];
}

/** Who answers: a run's base or fine-tuned model on TuneLab's engine, or the web-llm model loaded in this tab. */
export type DistillTeacherRef = ({ kind: 'engine' } & DistillTeacherChoice) | { kind: 'web-llm'; modelId: string };

/** What a generation was asked: enough to resume it with the same teacher, prompts and sampling. */
export interface DistillRequest {
  teacher: DistillTeacherRef;
  /** The teacher in words, as the panel listed it. */
  teacherLabel: string;
  source: DistillPromptSource;
  maxTokens: number;
  temperature: number;
  topP: number;
  seed: number;
  /** web-llm on Tiny World items: the solved examples put before each prompt (0 = none). */
  shots?: number;
}

/**
 * A generation that has not been saved as a dataset (store "distillDrafts", schema v6): a cancelled or failed one is kept
 * here as it stopped, to be reviewed, resumed, saved as its own dataset or deleted; never merged into anything on its own.
 */
export interface DistillDraftRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  request: DistillRequest;
  result: DistillResult;
}
