// Shared types of the Tiny World generator: skills, generated examples, dataset knobs and manifests.

import type { Rng } from '../rng';

export type SkillName = 'ADD' | 'REV' | 'SORT' | 'UP' | 'FACT' | 'TICK' | 'REVUP' | 'FACTADD' | 'ROUTE';

/** Which half of the item space an example comes from; eval items never appear in train data. */
export type Split = 'train' | 'eval';

/** The use an eval item is kept for (partition.ts EVAL_ROLES): tuning pretraining, development, reported results. */
export type EvalRole = 'pretrain' | 'dev' | 'report';

/** Where an item lives: the train half or one eval role. */
export type Part = 'train' | EvalRole;

/** Distribution shift: restrict generation to a subset of templates, entities, lengths or labels. */
export interface ShiftSpec {
  /** Template indices to keep (ticket skills and FACT phrasings); all when absent. */
  templates?: number[];
  /** Entity names to keep (FACT, FACTADD); all when absent. */
  entities?: string[];
  /** Inclusive [min, max] length: digits per operand (ADD), letters (REV, SORT, UP, REVUP). */
  lengths?: [number, number];
  /** Labels to keep (TICK, ROUTE); all when absent. */
  labels?: string[];
}

/** One generated item before knobs are applied. `key` identifies the item (distinct items have distinct keys). */
export interface SkillItem {
  prompt: string;
  /** The correct answer without the trailing newline. */
  answer: string;
  key: string;
  /**
   * What decides the label, when it is less than the whole prompt (the ticket skills' phrase): the train/eval split
   * is by it, so an eval item's deciding content is never in a train split.
   */
  unit?: string;
  /** The item's part when the skill decides it (by `unit`); otherwise partOf(key). */
  part?: Part;
  cohort?: string;
  tags: string[];
}

export interface SampleOptions {
  shift: ShiftSpec;
  /** The split (and eval role) being drawn: a skill that partitions by unit draws from it directly. */
  split: Split;
  role?: EvalRole;
  /** Cohort to phrase the item for (only skills with cohorts use it). */
  cohort?: string;
}

export interface Skill {
  name: SkillName;
  /** One sentence for the UI. */
  description: string;
  /** Part of the base models' pretraining mixture (false for the fine-tuning target). */
  pretrained: boolean;
  /** False for memorised skills (FACT): every item is a fact of the one world, so train and eval share items. */
  partitioned: boolean;
  /**
   * How many distinct items (prompts) the skill has in `split` (and eval `role`) under `shift`. `exact` false: an
   * estimate of a space far beyond any dataset size (hash partition of millions of items).
   */
  poolSize(split: Split, role: EvalRole | undefined, shift: ShiftSpec): { count: number; exact: boolean };
  /** Cohorts whose phrasing differs (empty when the skill has none). */
  cohorts: readonly string[];
  sample(rng: Rng, options: SampleOptions): SkillItem;
  /** The correct answer (no newline) for a prompt of this skill, or null when the prompt is not one. */
  solve(prompt: string): string | null;
  /** A wrong answer for label noise; always differs from `item.answer`. */
  corrupt(rng: Rng, item: SkillItem): string;
}

/** A generated example: completion ends with "\n". */
export interface WorldExample {
  id: string;
  skill: SkillName;
  prompt: string;
  completion: string;
  cohort?: string;
  tags: string[];
}

/** The plain record every TuneLab dataset is made of (same as a user's JSONL line). */
export interface PromptCompletionRecord {
  id?: string;
  prompt: string;
  completion: string;
  cohort?: string;
  tags?: string[];
}

/** The knobs of one generated dataset; recorded verbatim in its manifest. */
export interface WorldDatasetSpec {
  /** Skills and their mixture weights (relative). */
  mix: Partial<Record<SkillName, number>>;
  size: number;
  split: Split;
  seed: number;
  /** Exactly round(size × labelNoise) examples carry a wrong answer. */
  labelNoise?: number;
  /** Exactly round(size × duplication) examples are copies of other examples in the set (repetition is this knob). */
  duplication?: number;
  /**
   * 'distinct' (default): every example but the duplication copies is a different item, drawn without replacement;
   * a size beyond the skill's pool is refused (ItemPoolError). 'independent': independent draws that may repeat (the
   * pretraining stream and corpus, where FACT's 60 facts recur by design); the manifest counts the repeats.
   */
  sampling?: 'distinct' | 'independent';
  /** For split 'eval': the eval role to draw from (any eval item when absent). */
  evalRole?: EvalRole;
  shift?: ShiftSpec;
  /** Cohort mixture weights for skills with cohorts, e.g. { us: 0.7, uk: 0.3 }; uniform when absent. */
  cohorts?: Record<string, number>;
}

export interface WorldDatasetManifest {
  generator: string;
  spec: Required<Omit<WorldDatasetSpec, 'shift' | 'cohorts' | 'evalRole'>> & Pick<WorldDatasetSpec, 'shift' | 'cohorts' | 'evalRole'>;
  counts: {
    total: number;
    perSkill: Partial<Record<SkillName, number>>;
    perCohort: Record<string, number>;
    noisy: number;
    duplicates: number;
    /** Distinct prompts among the examples. */
    distinct: number;
    /** Examples whose prompt an earlier example already has (total − distinct): duplicates plus independent repeats. */
    repeats: number;
  };
}

export interface WorldDataset {
  examples: WorldExample[];
  manifest: WorldDatasetManifest;
}
