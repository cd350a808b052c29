// Run export job (PEFT adapter, merged weights, TRL scale-out bundle): what to build, progress, the zip.

export type RunExportKind = 'adapter' | 'merged' | 'scale-out';

export interface RunExportProgress {
  /** What is being done now, in words. */
  stage: string;
  done: number;
  total: number;
}

export interface RunExportResult {
  fileName: string;
  /** The zip's bytes (transferred, not copied). */
  zip: Uint8Array;
  files: string[];
}
