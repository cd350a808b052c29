// The one GPU-owning worker: a queue of jobs (parse, train, evaluate, generate) over comlink; the UI imports only its type.
import * as Comlink from 'comlink';
import { installErrorTransfer } from './error-transfer';
import { setWorkerScriptUrl } from './helpers/app-url';
import { debugLoseDevice, initBackend, onDeviceLost, type BackendInfo, type BackendName } from '../src/engine/backend/init';
import type { MetricPoint } from '../src/contract';
import { JobQueue } from './job-queue';
import type { StopReason } from '../src/contract';
import { throttled } from './throttle';
import { csvColumns, jsonPreview, parquetPreview, parseDatasetJob } from './jobs/parse-dataset';
import type { DatasetPreview, ParseDatasetInput, ParseProgress } from '../src/contract';
import { blobBuffer } from '../src/engine/data/parquet';
import { hubDatasetImportJob, hubDatasetPreviewJob, hubDatasetSplits } from './jobs/hub-dataset';
import { longRowsInTokensJob } from './jobs/long-rows-count';
import type { HubDatasetImportInput, HubDatasetInput, HubDatasetListing } from '../src/contract';
import { exampleDatasetJob } from './jobs/example-job';
import { worldDatasetJob } from './jobs/world-dataset-job';
import type { SkillName } from '../src/engine/world/types';
import { trainJob } from './jobs/train';
import type { TrainProgress } from '../src/contract';
import { pretrainJob, publishPretrained } from './jobs/pretrain';
import { pretrainSpeedJob } from './jobs/pretrain-speed';
import type { PretrainSpeedInput } from '../src/contract';
import { generateJob } from './jobs/generate';
import type { GenerateInput, GenerateProgress } from '../src/contract';
import { distillJob, distillPromptsJob } from './jobs/distill';
import { saveDistilledDataset, type DistilledDatasetSpec } from '../src/storage/dataset-distilled';
import type { DistillInput, DistillProgress, DistillPromptSource } from '../src/contract';
import { evaluateJob } from './jobs/evaluate';
import { evaluateSkillsJob } from './jobs/evaluate-skills';
import { judgeEvalJob, savePreferencePairsJob } from './jobs/judge-eval';
import type { JudgeEvalInput, JudgeEvalProgress, SavePreferencePairsInput } from '../src/contract';
import { evaluateRegressionJob } from './jobs/evaluate-regression';
import type { RegressionSuiteSpec } from '../src/contract';
import { privacyReportJob } from './jobs/privacy-report';
import { insertCanaries } from '../src/storage/dataset-canaries';
import { writeDatasetWithout } from '../src/storage/dataset-without';
import { erasureMeasureJob } from './jobs/erasure-measure';
import type { ErasureMeasureInput, ErasureMeasureProgress } from '../src/contract';
import type { CanarySpec, PrivacyReportInput, PrivacyReportProgress } from '../src/contract';
import { loadModelJob, logitsOf, nextTokenOf } from './jobs/load-model';
import type { LoadModelInput, LoadModelProgress } from '../src/contract';
import { setBufferLimitOverride } from '../src/engine/backend/buffer-limit';
import { exportMergedJob, importAdapterJob, importAdapterRunJob } from './jobs/adapter-import';
import { exportRunJob } from './jobs/run-export';
import type { RunExportKind, RunExportProgress } from '../src/contract';
import type { TinyModelSpec } from '../src/contract';
import { experimentJob } from './jobs/experiment';
import type { ExperimentProgress } from '../src/contract';
import type { ExperimentSpec } from '../src/engine/experiments/types';
import { curveJob } from './jobs/curve';
import { curveCellBundleJob } from './jobs/curve-export';
import type { CurveJobInput } from '../src/contract';
import { retrievalJob } from './jobs/retrieval';
import { shotFitProblems } from '../src/engine/experiments/prompting/fit-check';
import type { RetrievalJobInput, RetrievalProgress } from '../src/contract';

installErrorTransfer();
// Started from a blob: URL (src/ui/policed-worker.ts): the app's own files are found from this script's real URL.
setWorkerScriptUrl(import.meta.url);

const jobs = new JobQueue();
/** The backend the page asked for, starting: every job waits for it (a job that ran first would train on the synchronous CPU backend, starving this worker's messages, Cancel included). */
let backendStarting: Promise<unknown> = Promise.resolve();
const queue = {
  run<T>(jobId: string, job: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return jobs.run(jobId, async (signal) => {
      await backendStarting.catch(() => undefined); // a failed start is the init call's to report; the job uses what runs
      return job(signal);
    });
  },
  stop: (...args: Parameters<JobQueue['stop']>) => jobs.stop(...args),
  pending: () => jobs.pending(),
};
/** Progress reaches the UI at most this often (a few Hz is enough for charts and readable numbers). */
const PROGRESS_INTERVAL_MS = 200;
let deviceLostReason: string | null = null;
let preferred: BackendName | undefined;
onDeviceLost((reason) => (deviceLostReason = reason));

/** Batches training metric points across throttled events so none are dropped. */
function trainReporter(onProgress: (p: TrainProgress) => void) {
  let buffered: MetricPoint[] = [];
  const sender = throttled<TrainProgress>((event) => {
    onProgress({ ...event, newMetrics: buffered });
    buffered = [];
  }, PROGRESS_INTERVAL_MS);
  return (event: TrainProgress, force?: boolean) => {
    buffered.push(...event.newMetrics);
    sender.report(event, force);
  };
}

const api = {
  /** Starts the fastest backend available here and says which it is (and why not WebGPU, if so). */
  async init(prefer?: BackendName): Promise<BackendInfo> {
    preferred = prefer;
    const starting = initBackend(prefer);
    backendStarting = starting;
    return starting;
  },

  /** Column names of a CSV file (reads only the first line). */
  csvColumns(file: Blob): Promise<string[]> {
    return csvColumns(file);
  },

  /** A Parquet, JSONL or JSON file's detected format and first rows, shown before it is imported (reads only its start or footer). */
  datasetPreview(file: Blob, format: 'jsonl' | 'parquet', name: string): Promise<DatasetPreview> {
    return format === 'parquet' ? parquetPreview(blobBuffer(file)) : jsonPreview(file, name);
  },

  parseDataset(jobId: string, input: ParseDatasetInput, onProgress: (p: ParseProgress) => void) {
    const sender = throttled(onProgress, PROGRESS_INTERVAL_MS);
    return queue.run(jobId, (signal) => parseDatasetJob(input, signal, (p) => sender.report(p)));
  },

  /** The configs and splits of a Hub dataset's Parquet conversion. */
  hubDatasetSplits(repo: string, endpoint: string): Promise<HubDatasetListing> {
    return hubDatasetSplits(repo, endpoint);
  },

  hubDatasetPreview(jobId: string, input: HubDatasetInput, onProgress: (p: ParseProgress) => void) {
    const sender = throttled(onProgress, PROGRESS_INTERVAL_MS);
    return queue.run(jobId, (signal) => hubDatasetPreviewJob(input, signal, (p) => sender.report(p)));
  },

  hubDatasetImport(jobId: string, input: HubDatasetImportInput, onProgress: (p: ParseProgress) => void) {
    const sender = throttled(onProgress, PROGRESS_INTERVAL_MS);
    // The first event of each file and phase always goes out: a stalled download still says which file it is on.
    let last = '';
    return queue.run(jobId, (signal) =>
      hubDatasetImportJob(input, signal, (p) => {
        const stage = `${p.phase}:${p.part?.index}`;
        sender.report(p, stage !== last);
        last = stage;
      }),
    );
  },

  /** Rows of a dataset longer than the loaded model's context, in its own tokens; null when that model is not loaded now. */
  longRowsInTokens(datasetId: string, weightsSha256: string, context: number) {
    return longRowsInTokensJob(datasetId, weightsSha256, context);
  },

  exampleDataset(jobId: string, count: number, seed: number) {
    return queue.run(jobId, () => exampleDatasetJob(count, seed));
  },

  worldDataset(jobId: string, skill: SkillName, size: number, seed: number) {
    return queue.run(jobId, () => worldDatasetJob(skill, size, seed));
  },

  train(jobId: string, runId: string, onProgress: (p: TrainProgress) => void) {
    const report = trainReporter(onProgress);
    return queue.run(jobId, async (signal) => {
      if (deviceLostReason) {
        deviceLostReason = null;
        await initBackend(preferred);
      }
      return trainJob(runId, signal, report, () => initBackend(preferred));
    });
  },

  /** Pretrains a Tiny World base from its run's seed on the generated mixture; a completed run is saved as a local model. */
  pretrain(jobId: string, runId: string, onProgress: (p: TrainProgress) => void) {
    const report = trainReporter(onProgress);
    return queue.run(jobId, async (signal) => {
      if (deviceLostReason) {
        deviceLostReason = null;
        await initBackend(preferred);
      }
      return pretrainJob(runId, signal, report, () => initBackend(preferred));
    });
  },

  /** Saves a completed pretraining run's final weights as a local model again (e.g. after a failed save). */
  publishPretrained(jobId: string, runId: string) {
    return queue.run(jobId, () => publishPretrained(runId));
  },

  /** A few real pretraining steps and one probe pass of a recipe, for the time estimate before a start. */
  measurePretrainSpeed(jobId: string, input: PretrainSpeedInput) {
    return queue.run(jobId, (signal) => pretrainSpeedJob(input, signal));
  },

  generate(jobId: string, input: GenerateInput, onProgress: (p: GenerateProgress) => void) {
    const sender = throttled(onProgress, 100);
    return queue.run(jobId, (signal) => generateJob(input, signal, (p, force) => sender.report(p, force)));
  },

  /** A teacher (a run's base or fine-tuned model) answers a prompt source; a cancel or failure returns the rows as a draft. */
  distill(jobId: string, input: DistillInput, onProgress: (p: DistillProgress) => void) {
    const sender = throttled(onProgress, PROGRESS_INTERVAL_MS);
    return queue.run(jobId, (signal) => distillJob(input, signal, (p) => sender.report(p, p.done === p.total)));
  },

  /** A source's prompts (and a Tiny World skill's solved examples) for the web-llm teacher, which the page runs. */
  distillPrompts(jobId: string, source: DistillPromptSource, shots: number) {
    return queue.run(jobId, () => distillPromptsJob(source, shots));
  },

  /** Saves reviewed teacher answers as a new dataset whose lineage names every row's producer. */
  saveDistilled(jobId: string, spec: DistilledDatasetSpec) {
    return queue.run(jobId, () => saveDistilledDataset(spec));
  },

  /** A model as an embedder on a retrieval set: base scores, contrastive fine-tuning with validation, tuned scores (cancellable). */
  retrieval(jobId: string, input: RetrievalJobInput, onProgress: (p: RetrievalProgress) => void) {
    let buffered: RetrievalProgress['points'] = [];
    const sender = throttled<RetrievalProgress>((event) => {
      onProgress({ ...event, points: buffered });
      buffered = [];
    }, PROGRESS_INTERVAL_MS);
    return queue.run(jobId, (signal) =>
      retrievalJob(input, signal, (event, force) => {
        buffered.push(...event.points);
        sender.report(event, force);
      }),
    );
  },

  evaluate(jobId: string, runId: string) {
    return queue.run(jobId, (signal) => evaluateJob(runId, signal));
  },

  /** Tiny World suite on base, few-shot base and fine-tuned (exact match per skill, CIs, cohort warnings). */
  evaluateSkills(jobId: string, runId: string, itemsPerSkill: number, onProgress: (done: number, total: number) => void) {
    const sender = throttled((p: { done: number; total: number }) => onProgress(p.done, p.total), PROGRESS_INTERVAL_MS);
    return queue.run(jobId, (signal) => evaluateSkillsJob(runId, itemsPerSkill, signal, (done, total) => sender.report({ done, total })));
  },

  /** Base vs fine-tuned answers graded by the engine's likelihood judge, beside the exact metric. */
  judgeEval(jobId: string, input: JudgeEvalInput, onProgress: (p: JudgeEvalProgress) => void) {
    const sender = throttled(onProgress, PROGRESS_INTERVAL_MS);
    return queue.run(jobId, (signal) => judgeEvalJob(input, signal, (p) => sender.report(p)));
  },

  /** The judged pairs saved as a preference dataset (chosen by the judge or by exact match), with their lineage. */
  savePreferencePairs(jobId: string, input: SavePreferencePairsInput) {
    return queue.run(jobId, () => savePreferencePairsJob(input));
  },

  /** A regression suite on a run's base and its latest checkpoint, compared (paired intervals) and stored on the run. */
  evaluateRegression(jobId: string, runId: string, suite: RegressionSuiteSpec, onProgress: (done: number, total: number) => void) {
    const sender = throttled((p: { done: number; total: number }) => onProgress(p.done, p.total), PROGRESS_INTERVAL_MS);
    return queue.run(jobId, (signal) => evaluateRegressionJob(runId, suite, signal, (done, total) => sender.report({ done, total })));
  },

  /** Canary exposure and extraction, and the membership attacks, for one run (cancellable; progress per canary). */
  privacyReport(jobId: string, input: PrivacyReportInput, onProgress: (p: PrivacyReportProgress) => void) {
    const sender = throttled(onProgress, PROGRESS_INTERVAL_MS);
    return queue.run(jobId, (signal) => privacyReportJob(input, signal, (p) => sender.report(p)));
  },

  /** A new version of a dataset with canaries inserted (the parent stays as it was); returns the new record. */
  insertCanaries(jobId: string, datasetId: string, specs: CanarySpec[]) {
    return queue.run(jobId, () => insertCanaries(datasetId, specs));
  },

  /** Forget: a new version of a dataset without the given records (lineage: parent + removed ids) and the texts now forgotten. */
  datasetWithout(jobId: string, datasetId: string, rowIds: string[]) {
    return queue.run(jobId, () => writeDatasetWithout(datasetId, rowIds));
  },

  /** Forget: exposure of the forgotten canaries (and a control) and the loss attack on the forgotten rows, per model. */
  erasureMeasure(jobId: string, input: ErasureMeasureInput, onProgress: (p: ErasureMeasureProgress) => void) {
    return queue.run(jobId, (signal) => erasureMeasureJob(input, signal, onProgress));
  },

  /** Loads a Hub or local checkpoint (through the model cache) and keeps it as the current model. */
  loadModel(jobId: string, input: LoadModelInput, onProgress: (p: LoadModelProgress) => void) {
    const sender = throttled(onProgress, PROGRESS_INTERVAL_MS);
    return queue.run(jobId, async (signal) => {
      try {
        // A file's last event (complete, or from cache) and the build stage always go out, so no file's row is lost.
        return await loadModelJob(input, signal, (p) => sender.report(p, p.stage === 'build' || p.loaded === p.total));
      } finally {
        sender.flush();
      }
    });
  },

  /** Imports a PEFT adapter (files or a zip) onto the loaded model; refuses one trained on another base. */
  importAdapter(jobId: string, files: File[]) {
    return queue.run(jobId, () => importAdapterJob(files));
  },

  /** Imports a PEFT adapter as a run on the loaded model (stored), so the Train/Evaluate pages can use it. */
  importAdapterRun(jobId: string, files: File[], spec: TinyModelSpec, dataset: { id: string; name: string } | null) {
    return queue.run(jobId, () => importAdapterRunJob(files, spec, dataset));
  },

  /** A run as a zip: PEFT adapter, merged weights or TRL scale-out bundle (transferred, not copied). */
  exportRun(jobId: string, runId: string, kind: RunExportKind, onProgress: (p: RunExportProgress) => void) {
    const sender = throttled(onProgress, PROGRESS_INTERVAL_MS);
    return queue.run(jobId, async (signal) => {
      const result = await exportRunJob(runId, kind, signal, (p) => sender.report(p));
      return Comlink.transfer(result, [result.zip.buffer]);
    });
  },

  /** The loaded model with the imported adapter merged, as a zip (transferred, not copied). */
  exportMerged(jobId: string) {
    return queue.run(jobId, async () => {
      const zip = await exportMergedJob();
      return Comlink.transfer(zip, [zip.buffer]);
    });
  },

  /** The loaded model's most likely next token after `text` (a quick check that the weights work). */
  nextToken(text: string) {
    return nextTokenOf(text);
  },

  /** The Prompting preset's shots against the base's context (it generates each seed's pool: here, not in the page's first view). */
  shotFitProblems(spec: ExperimentSpec) {
    return shotFitProblems(spec);
  },

  /** Runs an experiment's missing cells (finished ones are reused from storage); cancel keeps the finished cells. */
  experiment(jobId: string, spec: ExperimentSpec, onProgress: (p: ExperimentProgress) => void) {
    const sender = throttled(onProgress, PROGRESS_INTERVAL_MS);
    return queue.run(jobId, (signal) => experimentJob(spec, signal, (p, force) => sender.report(p, force)));
  },

  /** Runs a learning curve's missing cells on the user's dataset and model (finished ones are reused); a stop keeps the finished cells. */
  curve(jobId: string, input: CurveJobInput, onProgress: (p: ExperimentProgress) => void) {
    const sender = throttled(onProgress, PROGRESS_INTERVAL_MS);
    return queue.run(jobId, (signal) => curveJob(input, signal, (p, force) => sender.report(p, force)));
  },

  /** One learning-curve cell as a TRL scale-out bundle: the subset it trained on and its settings (transferred, not copied). */
  exportCurveCell(jobId: string, runId: string, datasetId: string) {
    return queue.run(jobId, async () => {
      const result = await curveCellBundleJob(runId, datasetId);
      return Comlink.transfer(result, [result.zip.buffer]);
    });
  },

  /** Asks a queued or running job to stop; 'pause' makes a training job checkpoint first. False if no such job. */
  stop(jobId: string, reason: StopReason): boolean {
    return queue.stop(jobId, reason);
  },

  pendingJobs() {
    return queue.pending();
  },

  /** Test hook: the loaded model's logits [T, V] for `text`. */
  debugLogits(text: string): Promise<Float32Array> {
    return logitsOf(text);
  },

  /** Test hook: pretend the GPU's largest buffer is `bytes` (null: the device's own), so tiny models split their embeddings. */
  debugBufferLimit(bytes: number | null): void {
    setBufferLimitOverride(bytes);
  },

  /** Test hook: destroys the WebGPU device as a driver reset would (a running train job then recovers). False off WebGPU. */
  debugLoseDevice(): boolean {
    return debugLoseDevice();
  },
};

export type GpuWorkerApi = typeof api;

Comlink.expose(api);
