// PEFT adapter import job: what the adapter holds and the run it became.

export interface AdapterImportSummary {
  r: number;
  loraAlpha: number;
  targetModules: string[];
  modules: number;
  numParams: number;
  /** From tunelab_lineage.json when the adapter was exported by TuneLab. */
  trainedOn: string | null;
  /** Why TuneLab could not confirm the adapter belongs to this base (only names to compare), in words; null when it could. */
  warning: string | null;
}

export interface ImportedRun extends AdapterImportSummary {
  runId: string;
}
