// Pretraining runs (Models page) and the base models they produced: start from a recipe, live curves, saved models.
import { GENERATOR_VERSION, PRETRAIN_MIX, WORLD_CHARS } from '../../engine/world';
import { DEFAULT_CHAR_SPECIAL_TOKENS } from '../../engine/tokenizers';
import { listLocalModels, LOCAL_MODEL_PREFIX, type LocalModelSummary } from '../../storage/local-models';
import type { RunRecord, TinyModelSpec, TrainHyperparameters } from '../../contract';
import { toShownError } from '../errors-ui';
import { startJob } from '../job-client';
import { defaultHyperparameters } from './hyperparameters';
import { presetById, settingsOf, PRETRAIN_PRESETS, type PretrainSettings } from './pretrain-presets';
import { TrainingState } from './training.svelte';
import type { PretrainSpeed } from '../../contract';
import { overDefaults, persistChoice, readChoice } from './persisted.svelte';

/** The Tiny World vocabulary as a run's char list (specials first): its length is the model's vocab_size. */
const WORLD_VOCAB = [...DEFAULT_CHAR_SPECIAL_TOKENS, ...WORLD_CHARS];

/** A local model as a pickable base: kind 'tiny-world', so training, skill probes and evaluation treat it like the shipped one. */
export function localModelSpec(m: LocalModelSummary): TinyModelSpec {
  const a = m.card.architecture;
  return { kind: 'tiny-world', baseId: m.id, vocabSize: a.vocab_size, name: m.card.name, n_embd: a.n_embd, n_layer: a.n_layer, n_head: a.n_head, n_positions: a.n_positions, initSeed: 0 };
}

export function pretrainHyper(settings: PretrainSettings): TrainHyperparameters {
  const preset = presetById(settings.presetId);
  return {
    ...defaultHyperparameters(),
    method: 'full',
    steps: settings.steps,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    warmupSteps: settings.warmupSteps,
    schedule: 'cosine',
    weightDecay: 0.01,
    gradClip: 1,
    gradAccumulation: 1,
    seed: settings.seed,
    checkpointEvery: Math.max(1, Math.min(preset.checkpointEvery, settings.evalEvery)),
    evalEvery: Math.max(1, settings.evalEvery),
    probeItems: settings.probeItems,
  };
}

/** The pretraining recipe the user set up, remembered across reloads. */
const SETTINGS_KEY = 'tunelab.pretrainSettings';

export class PretrainState extends TrainingState {
  settings = $state<PretrainSettings>(settingsOf(PRETRAIN_PRESETS[0]));
  /** Base models pretrained in this browser, newest first. */
  models = $state.raw<LocalModelSummary[]>([]);
  saving = $state(false);
  /** This machine's measured speed for a shape and batch (key), from "Measure speed" or a finished run. */
  speed = $state.raw<{ key: string; speed: PretrainSpeed; source: string } | null>(null);
  measuring = $state(false);

  constructor() {
    super('pretrain');
    const defaults = settingsOf(PRETRAIN_PRESETS[0]);
    this.settings = readChoice(SETTINGS_KEY, defaults, (stored) => {
      const s = overDefaults(defaults, stored);
      return s && PRETRAIN_PRESETS.some((p) => p.id === s.presetId) ? s : null;
    });
    persistChoice(SETTINGS_KEY, () => $state.snapshot(this.settings));
  }

  override async load(): Promise<void> {
    await super.load();
    await this.refreshModels();
  }

  async refreshModels(): Promise<void> {
    try {
      this.models = await listLocalModels();
    } catch (e) {
      this.error = toShownError(e);
    }
  }

  choosePreset(id: string): void {
    this.settings = settingsOf(presetById(id), this.settings.seed);
  }

  /** The model shape of the chosen preset (for the estimate and the run record). */
  get spec(): TinyModelSpec {
    const p = presetById(this.settings.presetId);
    return { kind: 'tiny-gpt2', name: p.label, n_embd: p.n_embd, n_layer: p.n_layer, n_head: p.n_head, n_positions: p.seqLen, initSeed: this.settings.seed };
  }

  /** Identifies what a speed measurement is valid for: the model shape and the batch. */
  get speedKey(): string {
    const p = presetById(this.settings.presetId);
    return `${p.n_layer}x${p.n_embd}x${p.n_head}x${p.seqLen}/b${this.settings.batchSize}`;
  }

  /** The speed for the current settings: measured here, or the steady speed of an earlier run of this shape and batch. */
  get currentSpeed(): { speed: PretrainSpeed; source: string } | null {
    if (this.speed?.key === this.speedKey) return this.speed;
    const p = presetById(this.settings.presetId);
    for (const run of this.runs) {
      if (run.model.n_embd !== p.n_embd || run.model.n_layer !== p.n_layer || run.hyper.batchSize !== this.settings.batchSize) continue;
      const points = run.metrics.filter((m) => m.trainLoss !== undefined);
      const last = points.at(-1);
      if (points.length < 5 || !last?.tokensPerSec || !last.tokensSeen) continue;
      const tokensPerStep = last.tokensSeen / last.step;
      // Probe time is folded into the run's wall clock: spread it over the probe items it measured.
      const items = run.metrics.filter((m) => m.probes).length * Object.keys(run.metrics.find((m) => m.probes)?.probes ?? {}).length * (run.hyper.probeItems ?? 0);
      const trainMs = (last.step * tokensPerStep * 1000) / last.tokensPerSec;
      const secondsPerProbeItem = items > 0 ? Math.max(0, (last.elapsedMs - trainMs) / 1000 / items) : 0;
      return { speed: { secondsPerStep: tokensPerStep / last.tokensPerSec, tokensPerStep, secondsPerProbeItem }, source: `the run “${run.name}”` };
    }
    return null;
  }

  async measureSpeed(): Promise<void> {
    this.error = null;
    this.measuring = true;
    const key = this.speedKey;
    const settings = $state.snapshot(this.settings);
    const preset = presetById(settings.presetId);
    try {
      const speed = await startJob((api, jobId) =>
        api.measurePretrainSpeed(jobId, {
          run: { model: this.spec, vocab: WORLD_VOCAB, hyper: pretrainHyper(settings) },
          recipe: { preset: preset.id, seed: settings.seed, modelId: '', mix: { ...PRETRAIN_MIX } as Record<string, number>, generator: GENERATOR_VERSION, seqLen: preset.seqLen },
        }),
      ).result;
      this.speed = { key, speed, source: 'a measurement of 3 steps on this machine' };
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.measuring = false;
    }
  }

  async startPretrain(): Promise<void> {
    this.error = null;
    const settings = $state.snapshot(this.settings);
    const preset = presetById(settings.presetId);
    const id = crypto.randomUUID();
    const now = Date.now();
    const run: RunRecord = {
      id,
      name: `${preset.label.split(' — ')[0]} from seed ${settings.seed} · ${settings.steps} steps`,
      createdAt: now,
      updatedAt: now,
      datasetId: '',
      datasetName: 'Tiny World pretraining mixture (generated per step)',
      model: this.spec,
      vocab: WORLD_VOCAB,
      hyper: pretrainHyper(settings),
      status: 'queued',
      step: 0,
      lastCheckpointStep: null,
      metrics: [],
      pretrain: { preset: preset.id, seed: settings.seed, modelId: `${LOCAL_MODEL_PREFIX}${id}`, mix: { ...PRETRAIN_MIX } as Record<string, number>, generator: GENERATOR_VERSION, seqLen: preset.seqLen },
    };
    await this.runJob(run.id, run);
  }

  /** Whether a completed run's model is missing from storage (a failed save, or deleted): it can be saved again. */
  unsaved(run: RunRecord | null): boolean {
    return run?.status === 'completed' && run.pretrain !== undefined && !this.models.some((m) => m.id === run.pretrain!.modelId);
  }

  async saveModel(runId: string): Promise<void> {
    this.error = null;
    this.saving = true;
    try {
      await startJob((api, jobId) => api.publishPretrained(jobId, runId)).result;
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.saving = false;
      await this.refreshModels();
    }
  }

  protected override async afterJob(): Promise<void> {
    await this.refreshModels();
  }
}
