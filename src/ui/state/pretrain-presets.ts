// Size presets and default recipes for pretraining a Tiny World base in the browser (Models page).

export interface PretrainPreset {
  id: string;
  label: string;
  /** What to expect, in one sentence. */
  note: string;
  n_layer: number;
  n_embd: number;
  n_head: number;
  /** Context in characters; 64 holds every Tiny World line. */
  seqLen: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  evalEvery: number;
  probeItems: number;
  checkpointEvery: number;
}

export const PRETRAIN_PRESETS: readonly PretrainPreset[] = [
  {
    id: 'tiny',
    label: 'Tiny — 2 layers, d 32',
    note: 'About 30k parameters: the loss falls within seconds; skills stay low. A quick look, or a smoke test.',
    n_layer: 2,
    n_embd: 32,
    n_head: 2,
    seqLen: 64,
    steps: 300,
    batchSize: 16,
    learningRate: 3e-3,
    warmupSteps: 20,
    evalEvery: 50,
    probeItems: 10,
    checkpointEvery: 50,
  },
  {
    id: 'nano',
    label: 'Nano — 2 layers, d 64',
    note: 'About 110k parameters: the first skills (UP, TICK, REV) climb within a couple of minutes on a laptop GPU.',
    n_layer: 2,
    n_embd: 64,
    n_head: 2,
    seqLen: 64,
    steps: 1200,
    batchSize: 16,
    learningRate: 3e-3,
    warmupSteps: 30,
    evalEvery: 100,
    probeItems: 10,
    checkpointEvery: 100,
  },
  {
    id: '800k',
    label: 'Tiny World 800k — 4 layers, d 128 (the shipped architecture)',
    note: 'The shipped base model’s shape. Competence on every skill takes thousands of steps: tens of minutes on a good GPU.',
    n_layer: 4,
    n_embd: 128,
    n_head: 4,
    seqLen: 64,
    steps: 6000,
    batchSize: 32,
    learningRate: 2e-3,
    warmupSteps: 100,
    evalEvery: 250,
    probeItems: 20,
    checkpointEvery: 250,
  },
];

/** What the user can change before a start (a preset fills them in). */
export interface PretrainSettings {
  presetId: string;
  seed: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  evalEvery: number;
  probeItems: number;
}

export function presetById(id: string): PretrainPreset {
  return PRETRAIN_PRESETS.find((p) => p.id === id) ?? PRETRAIN_PRESETS[0];
}

export function settingsOf(preset: PretrainPreset, seed = 1): PretrainSettings {
  const { id: presetId, steps, batchSize, learningRate, warmupSteps, evalEvery, probeItems } = preset;
  return { presetId, seed, steps, batchSize, learningRate, warmupSteps, evalEvery, probeItems };
}
