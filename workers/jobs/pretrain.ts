// Job: pretrain a Tiny World base from a seed (the train job on the mixture stream), then save it as a local base model.
import { currentBackend } from '../../src/engine/backend/init';
import { writeSafetensors } from '../../src/engine/io/safetensors-write';
import type { TrainerCheckpoint } from '../../src/engine/train/checkpoint';
import { latestCheckpoint, loadRun } from '../../src/storage/runs';
import { saveLocalModel, type LocalModelCard } from '../../src/storage/local-models';
import type { RunRecord } from '../../src/contract';
import { pretrainBaseOf, worldTokenizerJson } from '../helpers/pretrain-base';
import type { TrainProgress, TrainResult } from '../../src/contract';
import { trainJob } from './train';

export interface PretrainResult extends TrainResult {
  /** The saved model's id once the run completed. */
  modelId?: string;
}

function hardwareOf(): string {
  const backend = currentBackend();
  if (!backend) return 'unknown backend';
  const adapter = backend.adapter;
  return adapter ? `WebGPU on ${[adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ') || 'an unnamed adapter'}${adapter.isFallback ? ' (software)' : ''}` : backend.name;
}

/** The model card (training.json): recipe, tokens, time, hardware, the last step's per-skill scores and the loss curve. */
export function modelCardOf(run: RunRecord & { pretrain: NonNullable<RunRecord['pretrain']> }, parameters: number): LocalModelCard {
  const withProbes = run.metrics.filter((m) => m.probes).at(-1);
  const h = run.hyper;
  return {
    model: run.pretrain.modelId,
    name: `${run.name} (pretrained here)`,
    parameters,
    architecture: { n_layer: run.model.n_layer, n_embd: run.model.n_embd, n_head: run.model.n_head, n_positions: run.pretrain.seqLen, vocab_size: run.vocab.length },
    recipe: {
      preset: run.pretrain.preset,
      seed: run.pretrain.seed,
      steps: h.steps,
      batchSize: h.batchSize,
      learningRate: h.learningRate,
      warmupSteps: h.warmupSteps,
      schedule: h.schedule,
      weightDecay: h.weightDecay,
      gradClip: h.gradClip,
      seqLen: run.pretrain.seqLen,
      mix: run.pretrain.mix,
      generator: run.pretrain.generator,
    },
    runId: run.id,
    tokens_trained: run.metrics.at(-1)?.tokensSeen ?? 0,
    train_seconds: Math.round((run.metrics.at(-1)?.elapsedMs ?? 0) / 1000),
    hardware: hardwareOf(),
    scores: Object.fromEntries(Object.entries(withProbes?.probes ?? {}).map(([skill, value]) => [skill, { exact_match: value, n: h.probeItems ?? 0 }])),
    loss_curve: run.metrics.filter((m) => m.trainLoss !== undefined).map((m) => [m.step, Math.round(m.trainLoss! * 1e4) / 1e4]),
    createdAt: Date.now(),
  };
}

/** Writes the finished run's weights as a local model (config.json, tokenizer.json, model.safetensors, training.json). */
export async function publishPretrained(runId: string): Promise<string> {
  const run = await loadRun(runId);
  if (!run?.pretrain) throw new Error('This run is not a pretraining run.');
  const checkpoint = await latestCheckpoint(runId);
  if (!checkpoint || checkpoint.step !== run.hyper.steps) throw new Error(`The final checkpoint (step ${run.hyper.steps}) of “${run.name}” is missing; resume the run to finish it.`);
  const state = checkpoint.state as TrainerCheckpoint;
  const parameters = [...state.trainable.values()].reduce((n, w) => n + w.data.length, 0);
  const pretrain = run.pretrain;
  const { config } = pretrainBaseOf({ ...run, pretrain });
  await saveLocalModel(pretrain.modelId, {
    config,
    tokenizer: worldTokenizerJson(),
    weights: writeSafetensors(state.trainable, { format: 'pt' }),
    card: modelCardOf({ ...run, pretrain }, parameters),
  });
  return pretrain.modelId;
}

export async function pretrainJob(
  runId: string,
  signal: AbortSignal,
  report: (p: TrainProgress, force?: boolean) => void,
  restartBackend: () => Promise<unknown>,
): Promise<PretrainResult> {
  const result = await trainJob(runId, signal, report, restartBackend);
  if (result.status !== 'completed') return result;
  return { ...result, modelId: await publishPretrained(runId) };
}
