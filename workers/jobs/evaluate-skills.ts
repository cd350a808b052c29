// Job: the Tiny World suite on a run's base, its few-shot-prompted base and its fine-tuned model, compared with deltas and CIs.
import type { SkillEvalResult } from '../../src/contract';
import { compareResults, evaluateSuite, evalModelOf, evalTokenizerOf, FEW_SHOT_COUNT, tinyWorldShots, withFewShot, type EvalModel, type SuiteResult } from '../../src/engine/eval';
import { createModel, restoreForInference, type LoraAdapter, type TrainerCheckpoint } from '../../src/engine/index';
import type { SkillName } from '../../src/engine/world';
import { EngineUnavailableError } from '../../src/engine/errors';
import { latestCheckpoint, loadRun } from '../../src/storage/runs';
import { runBaseOf } from '../helpers/base-model';
import { skillProbeSuite } from '../helpers/skill-probes';

export async function evaluateSkillsJob(runId: string, itemsPerSkill: number, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<SkillEvalResult> {
  const run = await loadRun(runId);
  if (!run) throw new Error('The run was not found; pick another run.');
  if (run.model.kind !== 'tiny-world') throw new EngineUnavailableError('Skill probes need a Tiny World base.', 'Train a run on the Tiny World base model (Models page) first.');
  const base = await runBaseOf(run);
  const tokenizer = evalTokenizerOf(base.tokenizer!);
  const suite = skillProbeSuite(itemsPerSkill);
  const fewShot = {
    ...suite,
    probes: suite.probes.map((probe) => {
      return withFewShot(probe, tinyWorldShots(probe.name as SkillName));
    }),
  };
  const checkpoint = await latestCheckpoint(runId);
  const itemsOf = (s: typeof suite) => s.probes.reduce((n, p) => n + p.items.length, 0);
  // The few-shot variant may hold fewer items (an eval item equal to a shot is dropped).
  const total = itemsOf(suite) * (checkpoint ? 2 : 1) + itemsOf(fewShot);
  let offset = 0;
  const run1 = async (model: EvalModel, s: typeof suite): Promise<SuiteResult> => {
    const start = offset;
    const result = await evaluateSuite(model, tokenizer, s, { signal, onProgress: (done) => onProgress(start + done, total) });
    offset += itemsOf(s);
    return result;
  };
  const model = createModel(base.setup.config, base.setup.weights ?? { seed: base.setup.initSeed });
  let lora: LoraAdapter | null = null;
  try {
    const baseResult = await run1(evalModelOf(model), suite);
    const variants: Record<string, SuiteResult> = { 'few-shot base': await run1(evalModelOf(model), fewShot) };
    if (checkpoint) {
      // Full fine-tuning overwrites the model's weights here, so the fine-tuned model is measured last.
      lora = restoreForInference(model, checkpoint.state as TrainerCheckpoint);
      variants['fine-tuned'] = await run1(evalModelOf(model, lora), suite);
    }
    return { itemsPerSkill, shots: FEW_SHOT_COUNT, tunedStep: checkpoint?.step ?? null, comparison: compareResults('base', baseResult, variants) };
  } finally {
    lora?.dispose();
    model.dispose();
  }
}
