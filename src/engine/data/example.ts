// The unit of training data after tokenization: token ids plus a per-token loss weight.

export interface TokenizedExample {
  /** Stable id of the source record (for lineage, membership tests and "forget example X"). */
  id: string;
  ids: number[];
  /**
   * Loss weight of predicting ids[t] from ids[0..t-1]; same length as ids. 0 for prompt tokens and for t = 0,
   * 1 for completion tokens, or a per-message weight. The loss is the weighted mean over all targets in a batch.
   */
  weights: number[];
  cohort?: string;
  /** Set when the record was longer than maxSeqLen and its tail was cut off. */
  truncated?: boolean;
  /**
   * A preference pair (DPO): `ids`/`weights` are the prompt + chosen answer, this the same prompt + the rejected one
   * (weights 1 on the answer's tokens). SFT on such an example trains on the chosen answer alone.
   */
  rejected?: { ids: number[]; weights: number[]; truncated?: boolean };
}
