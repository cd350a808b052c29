// Job: measures this machine's pretraining speed for a recipe (a few real steps and one skill-probe pass) for the time estimate.
import type { PretrainSpeed, PretrainSpeedInput } from '../../src/contract';
import { stopReason } from '../job-queue';
import { JobCancelledError } from '../../src/engine/errors';
import type { PretrainRecipe, RunRecord } from '../../src/contract';
import { loadEngine } from '../helpers/load-engine';
import { pretrainBaseOf, PRETRAIN_SKILLS } from '../helpers/pretrain-base';
import { measureSkills, skillProbeSuite } from '../helpers/skill-probes';

const TIMED_STEPS = 3;

export async function pretrainSpeedJob(input: PretrainSpeedInput, signal: AbortSignal): Promise<PretrainSpeed> {
  const run = { ...input.run, id: 'speed', pretrain: input.recipe } as RunRecord & { pretrain: PretrainRecipe };
  const { base, stream, tokenizer } = pretrainBaseOf(run);
  const engine = await loadEngine();
  const trainer = await engine.createTrainer({ ...base.setup, hyper: run.hyper, train: stream });
  const check = () => {
    if (stopReason(signal)) throw new JobCancelledError('The speed measurement was cancelled.', 'Measure again when the GPU is free.');
  };
  try {
    await trainer.trainStep();
    const times: number[] = [];
    let tokens = 0;
    for (let i = 0; i < TIMED_STEPS; i++) {
      check();
      const started = performance.now();
      tokens += (await trainer.trainStep()).tokens;
      times.push((performance.now() - started) / 1000);
    }
    check();
    const suite = skillProbeSuite(1, PRETRAIN_SKILLS);
    const started = performance.now();
    await measureSkills(trainer.evalModel(), tokenizer, suite, signal);
    const probeSeconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    return { secondsPerStep: times[Math.floor(times.length / 2)], tokensPerStep: tokens / TIMED_STEPS, secondsPerProbeItem: probeSeconds / suite.probes.length };
  } finally {
    trainer.dispose();
  }
}
