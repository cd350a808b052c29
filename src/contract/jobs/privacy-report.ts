// Privacy report job: canary exposure and extraction, and membership inference, for one run.
import type { ExposureResult } from '../../engine/privacy/exposure';
import type { RocPoint } from '../../engine/privacy/mia';

export interface PrivacyReportInput {
  runId: string;
  /** The user agreed to a sampled exposure estimate for candidate spaces too large to rank exactly. */
  allowEstimate: boolean;
}

export interface CanaryReport {
  id: string;
  template: string;
  secret: string;
  repetitions: number;
  exposure: ExposureResult;
  extracted: boolean;
  /** What greedy decoding emitted after the canary's prefix. */
  emitted: string;
  /** Wall-clock ms of the ranking pass (exposure alone, not extraction), shared by the canaries of one template. */
  rankMs: number;
}

export interface AttackSummary {
  auc: number;
  ci: [number, number];
  tprAt1Fpr: number;
  /** At most ~200 points of the ROC curve (every step kept when fewer). */
  roc: RocPoint[];
}

export interface PrivacyReportResult {
  tunedStep: number;
  canaries: CanaryReport[];
  mia: { members: number; nonMembers: number; loss: AttackSummary; calibrated: AttackSummary | null } | null;
}

export interface PrivacyReportProgress {
  phase: 'canaries' | 'membership';
  done: number;
  total: number;
}
