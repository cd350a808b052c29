// State of a run's exports: one worker job at a time, its progress, the last saved file, or the error to show.
import * as Comlink from 'comlink';
import type { RunExportKind, RunExportProgress, RunExportResult } from '../../contract';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';
import { downloadBytes } from '../download';

export class RunExportState {
  running = $state<RunExportKind | null>(null);
  progress = $state.raw<RunExportProgress | null>(null);
  saved = $state.raw<{ fileName: string; bytes: number; files: string[] } | null>(null);
  error = $state.raw<ShownError | null>(null);
  private job: JobHandle<RunExportResult> | null = null;

  async export(runId: string, kind: RunExportKind): Promise<void> {
    if (this.running) return;
    this.running = kind;
    this.error = null;
    this.saved = null;
    this.progress = null;
    const onProgress = Comlink.proxy((p: RunExportProgress) => {
      this.progress = p;
    });
    try {
      this.job = startJob((api, id) => api.exportRun(id, runId, kind, onProgress));
      const result = await this.job.result;
      downloadBytes(result.zip as Uint8Array<ArrayBuffer>, result.fileName);
      this.saved = { fileName: result.fileName, bytes: result.zip.byteLength, files: result.files };
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.running = null;
      this.progress = null;
      this.job = null;
    }
  }

  cancel(): void {
    void this.job?.stop('cancel');
  }
}
