// Job: train a stored run from its last checkpoint (or from scratch), checkpointing every N steps to IndexedDB.
import type { DatasetRow, MetricPoint, RunRecord, TrainResult } from '../../src/contract';
import type { WeightMap } from '../../src/engine/models/config';
import { tunedWeightsOf } from '../helpers/tuned-weights';
import { deviceWasLost } from '../../src/engine/backend/init';
import { DeviceLostError, NonFiniteLossError } from '../../src/engine/errors';
import { runExamples } from '../helpers/train-examples';
import { latestCheckpoint, loadRun, updateRun } from '../../src/storage/runs';
import { datasetRowChunks, loadDataset } from '../../src/storage/datasets';
import type { TokenizedExample } from '../../src/engine/data/example';
import type { ExampleStream } from '../../src/engine/train/trainer';
import { stopReason } from '../job-queue';
import type { Tokenizer } from '../../src/engine/tokenizers';
import type { EvalSuite } from '../../src/engine/eval';
import { runBaseOf, type RunBase } from '../helpers/base-model';
import { loadEngine } from '../helpers/load-engine';
import type { PortTrainer, StepResult } from '../helpers/engine-port';
import { measureSkills, skillProbeSuite } from '../helpers/skill-probes';
import { pretrainBaseOf, PRETRAIN_SKILLS } from '../helpers/pretrain-base';
import { TrainClock } from '../helpers/train-clock';
import { TrainRunLog, type TrainReport } from '../helpers/train-run-log';
import { scoreRegression, withAfter } from '../helpers/regression-suite';
import { modelDims } from '../../src/engine/models/dims';
import { JobCancelledError } from '../../src/engine/errors';

/** Validation examples evaluated at each eval point (bounded, so evals stay a small share of the time). */
const VAL_SAMPLE = 64;
const MAX_DEVICE_RECOVERIES = 2;

/**
 * Gradient-ascent unlearning trains on the forgotten rows only (whatever their split), validating on the usual sample;
 * it starts from the adapter of the run it unlearns from (LoRA; full fine-tuning has no adapter to start from).
 */
async function* forgottenRowsAsTrain(chunks: AsyncIterable<DatasetRow[]>, ids: ReadonlySet<string>): AsyncGenerator<DatasetRow[]> {
  for await (const rows of chunks) yield rows.flatMap((row) => (ids.has(row.id) ? [{ ...row, split: 'train' as const }] : row.split === 'train' ? [] : [row]));
}

async function ascentStart(run: RunRecord): Promise<WeightMap | undefined> {
  if (run.unlearning?.method !== 'gradient-ascent') return undefined;
  if (run.hyper.method !== 'lora') throw new Error('Gradient-ascent unlearning starts from a LoRA adapter; this run fine-tuned every weight. Use the exact retrain instead.');
  const source = await loadRun(run.unlearning.ofRunId);
  const tuned = source && (await tunedWeightsOf(source));
  if (!tuned) throw new Error(`The run “${run.unlearning.ofRunName}” that gradient ascent starts from has no checkpoint or adapter left (was it deleted?).`);
  return tuned.trainable;
}

async function loadRunData(runId: string): Promise<{ run: RunRecord; base: RunBase; train: TokenizedExample[] | ExampleStream; validation: TokenizedExample[] }> {
  const run = await loadRun(runId);
  if (!run) throw new Error(`Run ${runId} was not found; it may have been deleted on the Storage page.`);
  if (run.imported) throw new Error(`“${run.name}” is an imported adapter, not a run trained here; it cannot be resumed.`);
  if (run.pretrain) {
    // Pretraining: no dataset; fresh mixture batches every step (nothing is held out but the skills' eval halves).
    const pretrain = pretrainBaseOf({ ...run, pretrain: run.pretrain });
    return { run, base: pretrain.base, train: pretrain.stream, validation: [] };
  }
  const dataset = await loadDataset(run.datasetId);
  if (!dataset) throw new Error(`The dataset of this run (“${run.datasetName}”) was deleted; import it again to continue.`);
  const base = await runBaseOf(run);
  // Rows longer than the context: the user's choice on the Train page (runs made before it truncated them).
  const ascent = run.unlearning?.method === 'gradient-ascent' ? new Set(run.unlearning.removedRowIds) : null;
  const rows = ascent ? forgottenRowsAsTrain(datasetRowChunks(dataset), ascent) : datasetRowChunks(dataset);
  const { train, validation } = await runExamples(rows, base, run.hyper.longRows ?? 'truncate', VAL_SAMPLE);
  return { run, base, train, validation };
}

type Probes = { suite: EvalSuite; tokenizer: Tokenizer };

/** Skill probes run on Tiny World bases, and while pretraining one, when the run asks for them (probeItems > 0). */
function probesOf(run: RunRecord, tokenizer: Tokenizer | null): Probes | null {
  const items = run.hyper.probeItems ?? 0;
  if (!tokenizer || items <= 0) return null;
  if (run.pretrain) return { suite: skillProbeSuite(items, PRETRAIN_SKILLS), tokenizer };
  return run.model.kind === 'tiny-world' ? { suite: skillProbeSuite(items), tokenizer } : null;
}

/** A lost device surfaces as DeviceLostError or as whatever tfjs throws next (possibly just before device.lost fires). */
async function isDeviceLoss(error: unknown): Promise<boolean> {
  return error instanceof DeviceLostError || (!(error instanceof NonFiniteLossError) && (await deviceWasLost()));
}

const lostNotice = (step: number) => `The GPU device was lost; reconnected and resumed from step ${step}.`;

/** The metric point of a step just trained: its loss, accuracy, learning rate, tokens/s and tokens so far. */
function pointOf(result: StepResult, clock: TrainClock, log: TrainRunLog): MetricPoint {
  log.tokensSeen += result.tokens;
  const tokensPerSec = clock.addTokens(result.tokens);
  return {
    step: result.step,
    elapsedMs: clock.elapsedMs(),
    trainLoss: result.loss,
    tokenAccuracy: result.tokenAccuracy,
    learningRate: result.learningRate,
    tokensPerSec: tokensPerSec ?? undefined,
    tokensSeen: log.tokensSeen,
    ...(result.peakDeviceBytes !== undefined && { peakDeviceBytes: result.peakDeviceBytes }),
    ...(result.dpo && { rewardChosen: result.dpo.rewardChosen, rewardRejected: result.dpo.rewardRejected, rewardAccuracy: result.dpo.rewardAccuracy, rewardMargin: result.dpo.rewardMargin }),
  };
}

/** At an eval point: validation loss on the held-out sample, and the skill probes when the run has them. */
async function evaluateInto(point: MetricPoint, trainer: PortTrainer, validation: TokenizedExample[], probes: Probes | null): Promise<void> {
  if (validation.length) point.valLoss = (await trainer.evaluate(validation)).loss;
  if (probes) point.probes = await measureSkills(trainer.evalModel(), probes.tokenizer, probes.suite);
}

/**
 * Trains the run to its last step: each step is trained, measured, evaluated and checkpointed when due, and reported;
 * a pause checkpoints and stops, a cancel stops, a NaN loss stops as diverged, a lost GPU device restarts the trainer
 * from the last checkpoint on a new device (at most MAX_DEVICE_RECOVERIES times).
 * `restartBackend` brings the compute backend back after a lost GPU device (same preference as at start).
 */
export async function trainJob(
  runId: string,
  signal: AbortSignal,
  report: TrainReport,
  restartBackend: () => Promise<unknown>,
  /** Device losses already recovered from by restarting the whole job (a loss outside trainStep). */
  priorRecoveries = 0,
): Promise<TrainResult> {
  const { run, base, train, validation } = await loadRunData(runId);
  const engine = await loadEngine();
  const probes = probesOf(run, base.tokenizer);
  const total = run.hyper.steps;
  const clock = new TrainClock(run.metrics.at(-1)?.elapsedMs ?? 0);
  const openTrainer = async (): Promise<PortTrainer> => {
    const checkpoint = await latestCheckpoint(runId);
    const initialAdapter = checkpoint ? undefined : await ascentStart(run);
    return engine.createTrainer({ ...base.setup, hyper: run.hyper, train, checkpoint: checkpoint?.state, ...(initialAdapter && { initialAdapter }) });
  };
  let trainer = await openTrainer();
  const firstStep = trainer.step;
  const log = new TrainRunLog(runId, run, firstStep, report);
  if (priorRecoveries > 0) log.notice = lostNotice(trainer.step);
  let recoveries = priorRecoveries;
  await updateRun(runId, { status: 'running', step: trainer.step, message: undefined });
  clock.startWindow();
  let regression = run.regression;
  const regressionTarget = () => ({ model: trainer.evalModel(), tokenizer: base.tokenizer, maxPositions: modelDims(base.setup.config).maxPositions, modelSpec: run.model });
  const regressionNotice = (what: string) => (done: number, all: number) =>
    report({ runId, step: trainer.step, totalSteps: total, loss: null, tokensPerSec: null, etaSec: null, newMetrics: [], lastCheckpointStep: log.lastCheckpointStep, notice: `Regression suite: scoring ${what} (${done}/${all} items).` });
  try {
    if (regression && !regression.before && trainer.step === 0) {
      // The base, before any update: a suite that cannot be scored (prompts beyond the context) stops the run here.
      try {
        regression = { ...regression, before: await scoreRegression(regression.suite, regressionTarget(), 0, signal, regressionNotice('the base')) };
      } catch (error) {
        if (error instanceof JobCancelledError) return await log.finish(stopReason(signal) === 'pause' ? 'paused' : 'cancelled', 0, 'Stopped while scoring the regression suite on the base.');
        throw error;
      }
      await updateRun(runId, { regression });
      report({ runId, step: 0, totalSteps: total, loss: null, tokensPerSec: null, etaSec: null, newMetrics: [], lastCheckpointStep: log.lastCheckpointStep, regression }, true);
      clock.startWindow();
    }
    if (probes && trainer.step === 0) {
      // Step 0: the base model's own skills, before any update.
      const point: MetricPoint = { step: 0, elapsedMs: clock.priorElapsedMs, probes: await measureSkills(trainer.evalModel(), probes.tokenizer, probes.suite) };
      log.keep(point);
      log.reportStep(point, { loss: null, tokensPerSec: null, etaSec: null }, true, undefined);
      clock.startWindow();
    }
    while (trainer.step < total) {
      const reason = stopReason(signal);
      if (reason === 'pause') {
        await log.checkpoint(trainer);
        return await log.finish('paused', trainer.step, `Paused at step ${trainer.step}; resume continues from here.`);
      }
      if (reason === 'cancel') return await log.finish('cancelled', trainer.step, `Cancelled at step ${trainer.step}.`);

      let result: StepResult;
      try {
        result = await trainer.trainStep();
      } catch (error) {
        if (!(await isDeviceLoss(error)) || recoveries >= MAX_DEVICE_RECOVERIES) throw error;
        recoveries++;
        trainer.dispose();
        await restartBackend();
        trainer = await openTrainer();
        log.restartFrom(trainer.step, lostNotice(trainer.step));
        continue;
      }

      const point = pointOf(result, clock, log);
      if (result.step % run.hyper.evalEvery === 0 || result.step === total) await evaluateInto(point, trainer, validation, probes);
      log.keep(point);
      if (result.step % run.hyper.checkpointEvery === 0 || result.step === total) await log.checkpoint(trainer);
      log.reportStep(point, { loss: result.loss, tokensPerSec: point.tokensPerSec ?? null, etaSec: clock.etaSec(result.step, firstStep, total) });
      clock.endStep();
    }
    if (regression?.before && !regression.after) {
      // The fine-tuned model on the same items; the run is complete either way (its checkpoint is saved).
      try {
        regression = withAfter({ ...regression, before: regression.before }, await scoreRegression(regression.suite, regressionTarget(), trainer.step, undefined, regressionNotice('the fine-tuned model')));
      } catch (error) {
        regression = { ...regression, error: `The regression suite could not be scored after training: ${(error as Error).message}` };
      }
      await updateRun(runId, { regression });
    }
    return await log.finish('completed', trainer.step, `Finished ${total} steps.`);
  } catch (error) {
    if (error instanceof NonFiniteLossError) {
      const kept = log.lastCheckpointStep === null ? 'No checkpoint had been saved yet.' : `The last good checkpoint (step ${log.lastCheckpointStep}) is kept.`;
      return await log.finish('diverged', trainer.step, `Training diverged: the loss became NaN or infinite at step ${trainer.step + 1}. ${kept} Try a lower learning rate.`);
    }
    // Lost during validation or a checkpoint read: start the job over from the last checkpoint on a new device.
    if (recoveries < MAX_DEVICE_RECOVERIES && (await isDeviceLoss(error))) {
      trainer.dispose();
      await restartBackend();
      return await trainJob(runId, signal, report, restartBackend, recoveries + 1);
    }
    await updateRun(runId, { status: 'failed', message: (error as Error).message });
    throw error;
  } finally {
    trainer.dispose();
  }
}
