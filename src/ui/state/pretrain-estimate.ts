// Time estimate of a pretraining recipe from this machine's measured speed: steps plus the skill measurements.
import { PRETRAIN_SKILLS } from '../../engine/world';
import type { PretrainSpeed } from '../../contract';
import type { PretrainSettings } from './pretrain-presets';

export interface PretrainTimeEstimate {
  seconds: number;
  trainSeconds: number;
  probeSeconds: number;
  /** Where the speed came from, in words. */
  source: string;
}

/** Skill measurements in a run: at step 0, every evalEvery steps, and at the last step. */
export function measurementsIn(settings: Pick<PretrainSettings, 'steps' | 'evalEvery'>): number {
  const every = Math.max(1, settings.evalEvery);
  return 1 + Math.floor(settings.steps / every) + (settings.steps % every === 0 ? 0 : 1);
}

export function estimatePretrainTime(settings: PretrainSettings, speed: PretrainSpeed, source: string): PretrainTimeEstimate {
  const trainSeconds = settings.steps * speed.secondsPerStep;
  const probeSeconds = measurementsIn(settings) * PRETRAIN_SKILLS.length * settings.probeItems * speed.secondsPerProbeItem;
  return { seconds: trainSeconds + probeSeconds, trainSeconds, probeSeconds, source };
}
