// Job: train a stored run from its last checkpoint (or from scratch), checkpointing every N steps to IndexedDB.
import type { TrainProgress, TrainResult } from '../../src/contract';
import { deviceWasLost } from '../../src/engine/backend/init';
import { DeviceLostError, NonFiniteLossError } from '../../src/engine/errors';
import { runExamples } from '../helpers/train-examples';
import { latestCheckpoint, loadRun, saveCheckpoint, updateRun } from '../../src/storage/runs';
import { datasetRowChunks, loadDataset } from '../../src/storage/datasets';
import type { MetricPoint, RunRecord, RunStatus } from '../../src/storage/types';
import type { TokenizedExample } from '../../src/engine/data/example';
import type { ExampleStream } from '../../src/engine/train/trainer';
import { stopReason } from '../job-queue';
import type { Tokenizer } from '../../src/engine/tokenizers';
import type { EvalSuite } from '../../src/engine/eval';
import { runBaseOf, type RunBase } from '../helpers/base-model';
import { loadEngine } from '../helpers/load-engine';
import type { PortTrainer } from '../helpers/engine-port';
import { measureSkills, skillProbeSuite } from '../helpers/skill-probes';
import { pretrainBaseOf, PRETRAIN_SKILLS } from '../helpers/pretrain-base';

/** Validation examples evaluated at each eval point (bounded, so evals stay a small share of the time). */
const VAL_SAMPLE = 64;
const MAX_DEVICE_RECOVERIES = 2;

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
  const { train, validation } = await runExamples(datasetRowChunks(dataset), base, run.hyper.longRows ?? 'truncate', VAL_SAMPLE);
  return { run, base, train, validation };
}

/** Skill probes run on Tiny World bases, and while pretraining one, when the run asks for them (probeItems > 0). */
function probesOf(run: RunRecord, tokenizer: Tokenizer | null): { suite: EvalSuite; tokenizer: Tokenizer } | null {
  const items = run.hyper.probeItems ?? 0;
  if (!tokenizer || items <= 0) return null;
  if (run.pretrain) return { suite: skillProbeSuite(items, PRETRAIN_SKILLS), tokenizer };
  return run.model.kind === 'tiny-world' ? { suite: skillProbeSuite(items), tokenizer } : null;
}

/** `restartBackend` brings the compute backend back after a lost GPU device (same preference as at start). */
export async function trainJob(
  runId: string,
  signal: AbortSignal,
  report: (p: TrainProgress, force?: boolean) => void,
  restartBackend: () => Promise<unknown>,
  /** Device losses already recovered from by restarting the whole job (a loss outside trainStep). */
  priorRecoveries = 0,
): Promise<TrainResult> {
  const { run, base, train, validation } = await loadRunData(runId);
  const engine = await loadEngine();
  const probes = probesOf(run, base.tokenizer);
  const total = run.hyper.steps;
  const startedAt = performance.now();
  const priorElapsed = run.metrics.at(-1)?.elapsedMs ?? 0;
  let lastCheckpointStep = run.lastCheckpointStep;
  let unsaved: MetricPoint[] = [];
  let recoveries = priorRecoveries;
  let notice: string | undefined;

  const openTrainer = async (): Promise<PortTrainer> => {
    const checkpoint = await latestCheckpoint(runId);
    return engine.createTrainer({ ...base.setup, hyper: run.hyper, train, checkpoint: checkpoint?.state });
  };
  const finish = async (status: RunStatus, step: number, message?: string): Promise<TrainResult> => {
    await updateRun(runId, { status, step, message, appendMetrics: status === 'diverged' ? [] : unsaved });
    report({ runId, step, totalSteps: total, loss: null, tokensPerSec: null, etaSec: null, newMetrics: [], lastCheckpointStep }, true);
    return { status, step, message };
  };
  const checkpointNow = async (trainer: PortTrainer) => {
    await saveCheckpoint(runId, trainer.step, await trainer.checkpoint(), unsaved);
    unsaved = [];
    lastCheckpointStep = trainer.step;
    tokensAtCheckpoint = tokensSeen;
  };

  const lostNotice = (step: number) => `The GPU device was lost; reconnected and resumed from step ${step}.`;
  let trainer = await openTrainer();
  if (priorRecoveries > 0) notice = lostNotice(trainer.step);
  const firstStep = trainer.step;
  /** Tokens trained on up to the checkpoint this job starts from (points after it are measured again). */
  const tokensBefore = (from: number) => run.metrics.filter((m) => m.step <= from && m.tokensSeen !== undefined).at(-1)?.tokensSeen ?? 0;
  let tokensSeen = tokensBefore(firstStep);
  let tokensAtCheckpoint = tokensSeen;
  await updateRun(runId, { status: 'running', step: trainer.step, message: undefined });
  let windowStart = performance.now();
  let windowTokens = 0;
  try {
    if (probes && trainer.step === 0) {
      // Step 0: the base model's own skills, before any update.
      const point: MetricPoint = { step: 0, elapsedMs: priorElapsed, probes: await measureSkills(trainer.evalModel(), probes.tokenizer, probes.suite) };
      unsaved.push(point);
      report({ runId, step: 0, totalSteps: total, loss: null, tokensPerSec: null, etaSec: null, newMetrics: [point], lastCheckpointStep }, true);
      windowStart = performance.now();
    }
    while (trainer.step < total) {
      const reason = stopReason(signal);
      if (reason === 'pause') {
        await checkpointNow(trainer);
        return await finish('paused', trainer.step, `Paused at step ${trainer.step}; resume continues from here.`);
      }
      if (reason === 'cancel') return await finish('cancelled', trainer.step, `Cancelled at step ${trainer.step}.`);
      let result;
      try {
        result = await trainer.trainStep();
      } catch (error) {
        // A lost device surfaces as DeviceLostError or as whatever tfjs throws next (possibly just before device.lost fires).
        const deviceLost = error instanceof DeviceLostError || (!(error instanceof NonFiniteLossError) && (await deviceWasLost()));
        if (!deviceLost || recoveries >= MAX_DEVICE_RECOVERIES) throw error;
        recoveries++;
        trainer.dispose();
        await restartBackend();
        trainer = await openTrainer();
        unsaved = [];
        tokensSeen = trainer.step === lastCheckpointStep ? tokensAtCheckpoint : tokensBefore(trainer.step);
        notice = lostNotice(trainer.step);
        continue;
      }
      windowTokens += result.tokens;
      tokensSeen += result.tokens;
      const seconds = (performance.now() - windowStart) / 1000;
      const tokensPerSec = seconds > 0 ? windowTokens / seconds : null;
      const point: MetricPoint = {
        step: result.step,
        elapsedMs: priorElapsed + performance.now() - startedAt,
        trainLoss: result.loss,
        tokenAccuracy: result.tokenAccuracy,
        learningRate: result.learningRate,
        tokensPerSec: tokensPerSec ?? undefined,
        tokensSeen,
        ...(result.peakDeviceBytes !== undefined && { peakDeviceBytes: result.peakDeviceBytes }),
      };
      if (result.step % run.hyper.evalEvery === 0 || result.step === total) {
        if (validation.length) point.valLoss = (await trainer.evaluate(validation)).loss;
        if (probes) point.probes = await measureSkills(trainer.evalModel(), probes.tokenizer, probes.suite);
      }
      unsaved.push(point);
      if (result.step % run.hyper.checkpointEvery === 0 || result.step === total) await checkpointNow(trainer);
      const stepsPerSec = (result.step - firstStep) / ((performance.now() - startedAt) / 1000);
      report({
        runId,
        step: result.step,
        totalSteps: total,
        loss: result.loss,
        tokensPerSec,
        etaSec: stepsPerSec > 0 ? (total - result.step) / stepsPerSec : null,
        newMetrics: [point],
        lastCheckpointStep,
        notice,
      });
      if (seconds > 5) {
        windowStart = performance.now();
        windowTokens = 0;
      }
    }
    return await finish('completed', trainer.step, `Finished ${total} steps.`);
  } catch (error) {
    if (error instanceof NonFiniteLossError) {
      const kept = lastCheckpointStep === null ? 'No checkpoint had been saved yet.' : `The last good checkpoint (step ${lastCheckpointStep}) is kept.`;
      return await finish('diverged', trainer.step, `Training diverged: the loss became NaN or infinite at step ${trainer.step + 1}. ${kept} Try a lower learning rate.`);
    }
    // Lost during validation or a checkpoint read: start the job over from the last checkpoint on a new device.
    if (recoveries < MAX_DEVICE_RECOVERIES && (error instanceof DeviceLostError || (await deviceWasLost()))) {
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
