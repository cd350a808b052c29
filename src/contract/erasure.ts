// Forget and erasure: the lineage of forgotten records, the erasure journal (schema v5 store "erasures"), the measurement job and the report.
import type { ForgetCriteria } from '../engine/privacy/forget-select';
import type { CanaryLineage } from '../engine/privacy/canary-insert';
import type { ControlInterval } from '../engine/privacy/control-canary';

export type { ForgetCriteria, SelectableRow } from '../engine/privacy/forget-select';

/** On a run made by unlearning: which run it unlearns from, and the records it forgets. */
export interface UnlearningInfo {
  /** 'exact-retrain': the same settings and seed from the base on the dataset minus the records (datasetId is the new version). */
  /** 'gradient-ascent': a few ascent steps on the forgotten records from the run's adapter (datasetId is the old version). */
  method: 'exact-retrain' | 'gradient-ascent';
  ofRunId: string;
  ofRunName: string;
  /** Record ids of the forgotten rows. */
  removedRowIds: string[];
  /** The dataset version the records were in, and its content hash. */
  parentDatasetId: string;
  parentSha256: string;
}

/** Something trained on (or holding) the records, as the lineage query finds it. */
export interface LineageArtifact {
  /** 'hub-cache': a Hub split's downloaded Parquet files in Cache Storage, which hold the records too; 'distill-draft': an unsaved distillation draft answering their prompts. */
  kind: 'dataset' | 'run' | 'imported-adapter' | 'curve-cell' | 'hub-cache' | 'distill-draft';
  id: string;
  name: string;
  /** In words: e.g. "2 checkpoints, adapter", "lineage names dataset 3fa2…". */
  detail: string;
  /** Runs: its checkpoints and stored adapters. */
  checkpoints?: number;
  adapters?: number;
  status?: string;
  /** A run a retrain can copy: trained here on this exact version, not imported, not a sweep cell. */
  retrainable?: boolean;
}

/** One artifact the erasure deletes, and whether its transaction has committed. */
export interface ErasureTarget {
  kind: 'dataset' | 'run' | 'hub-cache' | 'distill-draft';
  id: string;
  name: string;
  done: boolean;
}

export interface ExposureReading {
  template: string;
  repetitions: number;
  exposure: number;
  rank: number;
  candidates: number;
  method: 'exact' | 'estimate';
  extracted: boolean;
  /** The same secret's exposure on the base model (no adapter): the calibrated comparison's reference (absent in older reports). */
  baseExposure?: number;
}

/** One model's readings on the forgotten records. */
export interface ErasureMeasure {
  role: 'before' | 'exact-retrain' | 'gradient-ascent';
  runId: string;
  runName: string;
  step: number;
  /**
   * Each forgotten canary, by its record id (the secret itself is not kept); versusControls: where its exposure lies
   * against the controls' interval (of its own template; absent without one): above = still exposed, below =
   * over-forgotten (itself a trace).
   */
  canaries: (ExposureReading & { id: string; versusControls?: 'within' | 'above' | 'below'; shiftVersusControls?: 'within' | 'above' | 'below' })[];
  /** A canary of the same template, never inserted anywhere: exposure by chance (the first of `controls`). */
  control: ExposureReading | null;
  /** Every never-inserted control of the forgotten canaries' template (reports from before 2026-12-07 have only `control`). */
  controls?: ExposureReading[];
  /**
   * The central 95% of single controls' exposures (type-7 quantiles): a prediction interval for one never-seen secret,
   * which the forgotten canary (one draw) is placed against. 50 controls since 2026-12-07 16:00 (10 before: nearly their range).
   */
  controlInterval?: ControlInterval | null;
  /**
   * The calibrated comparison: the central 95% of the controls' shifts (exposure on this model − on the base). The
   * canary's own shift against it is `shiftVersusControls`: within = the model moved the canary as it moved secrets it never saw.
   */
  controlShiftInterval?: ControlInterval | null;
  /**
   * Loss attack on the forgotten rows against the dataset's held-out rows: AUC 0.5 = they look like data the model
   * never saw. calibrated: mean (loss − base loss) of the forgotten rows.
   */
  mia: { forgotten: number; heldOut: number; forgottenLoss: number; heldOutLoss: number; calibrated: number | null; auc: number; ci: [number, number] } | null;
}

export interface StorageScanHit {
  where: 'IndexedDB' | 'Cache Storage';
  /** Object store or cache name. */
  store: string;
  key: string;
  /** Where inside the value (e.g. "rows[3].completion"). */
  path: string;
  /** Which forgotten string (0-based index in the scan's list; the string itself is not repeated). */
  string: number;
}

export interface StorageScanResult {
  strings: number;
  stores: { name: string; items: number }[];
  caches: { name: string; entries: number }[];
  /** Text and byte values read (typed float arrays — weights — are counted apart: numbers, not text). */
  valuesScanned: number;
  bytesScanned: number;
  floatArraysSkipped: number;
  /** What the scan did not read, and why (e.g. the erasure's own journal of strings, removed when it finishes). */
  excluded: string[];
  hits: StorageScanHit[];
  ms: number;
}

export interface ErasureReport {
  format: 'tunelab-erasure/1';
  id: string;
  createdAt: number;
  finishedAt: number | null;
  request: string;
  criteria: ForgetCriteria['kind'];
  removedRows: number;
  removedRowIds: string[];
  dataset: { name: string; before: { id: string; sha256: string; rows: number }; after: { id: string; sha256: string; rows: number } };
  lineage: LineageArtifact[];
  measures: ErasureMeasure[];
  deleted: ErasureTarget[];
  /** Artifacts of the lineage the user chose to keep. */
  kept: { kind: string; id: string; name: string }[];
  scan: StorageScanResult | null;
  /** Texts of removed records that kept records also hold (they stay, so they are not scanned for). */
  textsAlsoKept: number;
}

/** The journal of one erasure (store "erasures"): while state ≠ done it holds the strings to scan for; done, only the report. */
export interface ErasureRecord {
  id: string;
  createdAt: number;
  state: 'deleting' | 'scanning' | 'done';
  targets: ErasureTarget[];
  report: ErasureReport;
  /** The forgotten texts, kept only until the final scan (then removed in the same write that marks it done). */
  forgotten?: string[];
  /** Why it stopped, when it did (quota, storage error); it resumes at the next load or on Resume. */
  error?: string;
}

/** The measurement job: the forgotten canaries and rows on each model, with a never-inserted control canary. */
export interface ErasureMeasureInput {
  datasetId: string;
  removedRowIds: string[];
  canaries: CanaryLineage[];
  /** Never-inserted canaries of the first forgotten canary's template (ERASURE_CONTROLS of them where the space allows). */
  controls: CanaryLineage[];
  runs: { role: ErasureMeasure['role']; runId: string }[];
}

export interface ErasureMeasureProgress {
  run: number;
  runs: number;
  phase: 'exposure' | 'membership';
}
