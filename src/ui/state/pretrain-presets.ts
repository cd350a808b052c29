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
    id: '30k',
    label: '30k — 2 layers, d 32',
    note: 'The loss falls within seconds; skills come slowly (a PyTorch pilot of this recipe: TICK 17% after 600 steps, 50% after 1,200). A first look, or a smoke test.',
    n_layer: 2,
    n_embd: 32,
    n_head: 2,
    seqLen: 64,
    steps: 600,
    batchSize: 16,
    learningRate: 3e-3,
    warmupSteps: 30,
    evalEvery: 100,
    probeItems: 10,
    checkpointEvery: 100,
  },
  {
    id: '110k',
    label: '110k — 2 layers, d 64',
    note: 'The quickest to visibly learn (expect a couple of minutes on a laptop GPU; “Measure speed” tells for this machine): ticket routing and the memorised facts climb first (a PyTorch pilot of this recipe: TICK 40% → 95% and FACT 15% → 35% from step 600 to 1,200); the string and number skills need many more steps.',
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
    id: '210k',
    label: '210k — 4 layers, d 64',
    note: 'Four layers learn the string skills: a PyTorch pilot of this recipe, after 2,400 steps: TICK 95%, SORT 75%, FACT 75%, REV 70%, UP 62%, REVUP 57%, ADD 3%, FACTADD 0% (at step 1,200 only TICK and FACT had moved). Expect a few minutes on a laptop GPU.',
    n_layer: 4,
    n_embd: 64,
    n_head: 4,
    seqLen: 64,
    steps: 2400,
    batchSize: 16,
    learningRate: 3e-3,
    warmupSteps: 30,
    evalEvery: 200,
    probeItems: 10,
    checkpointEvery: 200,
  },
  {
    id: '800k',
    label: '800k — 4 layers, d 128 (the shipped Tiny World architecture)',
    note: 'The shipped base model’s shape. Competence on every skill takes thousands of steps (the shipped model saw about 8,600 batches of 64 lines, in five stages): tens of minutes or more, even on a good GPU.',
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
