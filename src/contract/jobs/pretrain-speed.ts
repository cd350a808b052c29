// Pretraining speed probe job: a recipe in, measured seconds per step and per probe item out.
import type { PretrainRecipe, RunRecord } from '../records';

export interface PretrainSpeedInput {
  run: Pick<RunRecord, 'model' | 'vocab' | 'hyper'>;
  recipe: PretrainRecipe;
}

export interface PretrainSpeed {
  /** Median of the timed steps (the first step, which compiles shaders, is not timed). */
  secondsPerStep: number;
  /** Real input tokens per step, measured. */
  tokensPerStep: number;
  /** One greedy exact-match item of a skill probe (an untrained model answers at full length: an upper bound). */
  secondsPerProbeItem: number;
}
