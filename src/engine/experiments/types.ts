// Types of an experiment: the sweep spec (knobs × seeds), one cell's settings, and what a cell measured.
import type { SkillName } from '../world';
import type { CellProvenance } from './identity';
import type { CurveCellData } from './curve/cell';
import type { JudgeDriftSpec } from './judge-drift/spec';
import type { EmbeddingGapOptions } from './embedding-gap/plan';
import type { MatchedRun, MatchedSpec } from './matched/spec';
import type { PromptingRun, PromptingSpec } from './prompting/spec';
import type { CeilingSpec } from './ceiling/spec';

/** The knobs a sweep can vary. `rank` 0 means full fine-tuning. */
export type KnobName = 'trainSize' | 'labelNoise' | 'addedSize' | 'steps' | 'rank' | 'lr' | 'replay' | 'balance' | 'reweight' | 'shots';

export type PresetId = 'saturation' | 'cliff' | 'leakage' | 'distill' | 'cohorts' | 'cliff-replay' | 'judge-drift' | 'embedding-gap' | 'matched-gain' | 'prompting' | 'ceiling';

/** Every setting of one training run in an experiment (a cell), before the seed. */
export interface CellSettings {
  /** Clean target-skill examples (a prefix of the seed's clean pool: nested subsets). */
  trainSize: number;
  /** Label-noise rate of the clean pool itself (0 = clean). */
  labelNoise: number;
  /** Examples from the added, lower-quality pool (a prefix of that pool), appended to the clean ones. */
  addedSize: number;
  /** What makes the added pool worse: wrong labels, or a narrow slice (2 of 4 labels, one template). */
  addedKind: 'noisy' | 'narrow';
  /** Label-noise rate of the added pool when addedKind is 'noisy'. */
  addedNoise: number;
  /** Share of the fine-tuning data drawn from the base's original skills (replay), 0–0.9. */
  replay: number;
  steps: number;
  /** LoRA rank; 0 = full fine-tuning. */
  rank: number;
  lr: number;
  batchSize: number;
  /**
   * The Cohorts preset's mitigations (0 on every other preset, and then not part of a cell's key). balance: 0 samples
   * the cohorts at their shares, 1 as often each (minority examples repeated); reweight: 0 weighs every example 1,
   * 1 weighs a cohort's examples by 1/share (normalised to mean 1). Values between interpolate the exponent.
   */
  balance: number;
  reweight: number;
  /**
   * The Cohorts preset's cohort shares of the target data, e.g. { us: 0.95, caps: 0.05 } (absent on the other
   * presets): each example is rewritten into its cohort's surface form (./cohorts/forms).
   */
  cohorts?: Record<string, number>;
  /**
   * The learning-rate schedule, where a preset sets one (the Leakage preset: cosine decay, so its last checkpoint is not
   * caught mid-oscillation); absent = the trainer's default (constant), and then not part of a cell's key.
   */
  schedule?: 'constant' | 'linear' | 'cosine';
  /**
   * The Prompting preset's solved lines before each eval prompt (k-shot prompting of the untouched base; absent on the
   * other presets, and then not part of a cell's key). A prompting cell has trainSize 0 and steps 0.
   */
  shots?: number;
  /**
   * The Capability ceiling preset's base for this cell (absent on the other presets, whose one base is spec.base, and
   * then not part of a cell's key): the base is that sweep's axis.
   */
  base?: string;
}

/** One axis of a sweep: a knob and the values it takes. */
export interface SweepAxis {
  knob: KnobName;
  values: number[];
}

export interface ExperimentSpec {
  preset: PresetId;
  /** Base model: a folder under public/models (e.g. "tiny-world-800k"), or "seed:tiny" for a small seed-initialised model (tests). */
  base: string;
  /** Seeds 1..seeds; a seed fixes the data subsets, the LoRA init and the batch order. */
  seeds: number;
  /** Settings shared by every cell; an axis overrides its knob. */
  fixed: CellSettings;
  /** One or two axes. */
  axes: SweepAxis[];
  /** Extra single cells beyond the grid (the saturation preset's added-pool points), as overrides of `fixed`. */
  extraCells: Partial<CellSettings>[];
  /** Evaluate every this many steps (0 = only at the end). */
  evalEvery: number;
  /**
   * Denser evals early in training: also every `every` steps up to step `until` (every 0 = off). The cliff needs them:
   * forgetting and learning can both happen within the first 25 steps, which evalEvery alone cannot order.
   */
  evalEarly: EvalEarly;
  /** Eval items per probe. */
  evalItems: number;
  /** The target skill (fine-tuned) and the adjacent skills measured alongside it. */
  target: SkillName;
  adjacent: SkillName[];
  /** The Leakage preset's canaries (absent on the other presets): trainSize is then its Tiny World text rows. */
  leakage?: LeakageSpec;
  /** The Judge drift preset's loop (absent on the other presets): each cell (one seed) runs the judge arm and the gold control. */
  judgeDrift?: JudgeDriftSpec;
  /**
   * The Embedding gap preset (absent on the other presets): each cell fine-tunes the base as an embedder on trainSize
   * Tiny World ticket → team page pairs and scores retrieval on evalItems test tickets before and after.
   */
  embeddingGap?: EmbeddingGapOptions;
  /** The Distillation preset's teachers (absent on the other presets): labelNoise is then the teacher's corrupted share. */
  distill?: DistillSpec;
  /** LoRA vs full fine-tuning at matched gain (absent on the other presets): each cell stops at a dev accuracy; `steps` is the cap. */
  matched?: MatchedSpec;
  /** Prompting vs fine-tuning (absent on the other presets): axis 1 the shots k (base untouched), axis 2 the fine-tuning sizes N. */
  prompting?: PromptingSpec;
  /** The Capability ceiling preset (absent on the other presets): the same fine-tune on each of `bases`, split by entity. */
  ceiling?: CeilingSpec;
}

/**
 * Distillation inherits errors: each cell's student is fine-tuned on a teacher's answers, the teacher being the gold
 * answers with a share (the cell's labelNoise) corrupted per item; share 0 is the gold control.
 */
export interface DistillSpec {
  /** Fixes which items the teacher gets wrong (the same teacher for every student seed). */
  teacherSeed: number;
}

/** One Distillation eval point: per held-out item, the ground truth, the teacher's answer, the student's answer, and the answer the teacher gives when it errs. */
export interface DistillEval {
  references: string[];
  teacher: string[];
  student: string[];
  teacherWrong: string[];
}

/**
 * What one Leakage cell inserts and measures: canaries of one template at each repetition count (distinct secrets),
 * never-inserted control canaries of the same template, and membership inference over its Tiny World rows.
 */
export interface LeakageSpec {
  /**
   * A canary template with a secret slot, e.g. "my account pin is {dddd}" (|R| = 10^4); a `{who}` in it becomes a
   * different name per canary and control ("ada's account pin is {dddd}"), so each has its own prefix.
   */
  template: string;
  /** How often each inserted canary appears in the training data. */
  repetitions: number[];
  /** Distinct canaries inserted per repetition count. */
  canariesPerCount: number;
  /** Canaries of the same template never inserted: the exposure a secret has by chance. */
  controls: number;
}

export interface EvalEarly {
  every: number;
  until: number;
}

/** A cell = settings + seed; its key names it inside an experiment. */
export interface Cell {
  key: string;
  settings: CellSettings;
  seed: number;
}

/** One eval point of a cell: probe name → headline score (exact match, or perplexity for 'held-out text'). */
export interface CellEval {
  step: number;
  scores: Record<string, number>;
  /**
   * Per-item values behind each score, in eval-item order (the same items at every step and in every cell of an
   * experiment): exact match 1 or 0; perplexity the item's negative log-likelihood, with its token count in
   * itemTokens. Intervals resample these within each seed (./resample). Absent in cells stored before they were kept.
   */
  items?: Record<string, number[]>;
  itemTokens?: Record<string, number[]>;
  /** A Leakage cell's measurements at this step (absent on the other presets). */
  leakage?: LeakageEval;
  /** A Distillation cell's answers at this step (absent on the other presets). */
  distill?: DistillEval;
}

/** One canary's measurement: exposure (bits), its rank among |R| candidates, and whether greedy decoding emits it. */
export interface CanaryPoint {
  /** Times inserted; 0 = a never-inserted control. */
  repetitions: number;
  exposure: number;
  rank: number;
  extracted: boolean;
}

/** Membership scores of one attack (higher = more likely a member), per record. */
export interface MiaScores {
  members: number[];
  nonMembers: number[];
}

export interface LeakageEval {
  /** Every inserted canary, then the controls (absent at a point where exposure was not measured). */
  canaries: CanaryPoint[];
  /** |R| of the template. */
  candidates: number;
  /** The loss attack (−loss) and the calibrated attack (base loss − fine-tuned loss). */
  mia: { loss: MiaScores; calibrated: MiaScores };
  /** Epochs of training data seen by this step (step × batch ÷ examples). */
  epoch: number;
}

/** Where one cell's time went, measured as it ran (the sweep's time estimate is built from these). */
export interface CellTiming {
  /** Training steps done and the time spent in them. */
  steps: number;
  trainMs: number;
  /** Eval points scored and the time spent scoring. */
  evalPoints: number;
  evalMs: number;
  /** Everything else (building the model and the data). */
  otherMs: number;
}

export interface CellResult {
  cellKey: string;
  experimentId: string;
  /** Base weights (sha-256, precision) and generator/eval versions the cell was measured with; absent in older cells (stale). */
  provenance?: CellProvenance;
  settings: CellSettings;
  seed: number;
  /** Eval points in step order; the last one is the cell's final score. */
  evals: CellEval[];
  /** Training loss per step. */
  losses: number[];
  trainExamples: number;
  /** Distinct prompts among the training examples (absent in older cells). */
  trainDistinct?: number;
  /**
   * Ticket probes (TICK, ROUTE) → per eval item, whether its label-deciding phrase was in this cell's training data
   * (under any skill), in eval-item order: seen- and unseen-phrase accuracy apart (./seen-phrases). Absent in older cells.
   */
  seenPhrase?: Record<string, boolean[]>;
  /** A Cohorts cell's training rows per cohort, repeats counted (absent on the other presets). */
  trainCohorts?: Record<string, number>;
  ms: number;
  /** Absent on cells stored before timings were kept. */
  timing?: CellTiming;
  /** Present on a learning-curve cell of the user's own data and model (settings.trainSize = its distinct examples). */
  curve?: CurveCellData;
  /** A matched-gain cell's dev checks and the step it reached the target (absent on the other presets). */
  matched?: MatchedRun;
  /** A Prompting preset cell's prompt tokens per eval item (absent on the other presets). */
  prompting?: PromptingRun;
}

/** A stored cell result with the id of the run record it lives in (every plotted point links to it). */
export interface StoredCell extends CellResult {
  runId: string;
}
