// Job: base vs fine-tuned answers on Tiny World eval items graded by the engine's likelihood judge (win rate, swap agreement, agreement with exact match), and those pairs saved as a preference dataset.
import type { DatasetSummary, GradedPair, JudgeEvalInput, JudgeEvalProgress, JudgeEvalResult, PreferenceLineage, ProducerId, SavePreferencePairsInput } from '../../src/contract';
import { evalModelOf, evalTokenizerOf, type GenerationItem } from '../../src/engine/eval';
import { createModel, restoreForInference, type CausalLM, type LoraAdapter, type TrainerCheckpoint } from '../../src/engine/index';
import { engineLikelihoodJudge } from '../../src/engine/teacher/engine-likelihood';
import { gradeJudgements } from '../../src/engine/teacher/judge-grading';
import { preferencePairs } from '../../src/engine/teacher/judge-pairs';
import { CheckpointError, EngineUnavailableError, JobCancelledError, JudgeInputError } from '../../src/engine/errors';
import { loadRun, latestCheckpoint } from '../../src/storage/runs';
import { DatasetWriter } from '../../src/storage/dataset-writer';
import { runBaseOf, tinyWorldBaseName } from '../helpers/base-model';
import { PROBE_SEED, skillProbeSuite } from '../helpers/skill-probes';

/** Tiny World answers end at a newline: the judge scores each answer followed by it (a finished answer), and preference rows end with it. */
const STOP = '\n';

export async function judgeEvalJob(input: JudgeEvalInput, signal: AbortSignal, onProgress: (p: JudgeEvalProgress) => void): Promise<JudgeEvalResult> {
  const run = await loadRun(input.runId);
  if (!run) throw new Error('The run was not found; pick another run.');
  if (run.model.kind !== 'tiny-world') throw new EngineUnavailableError('The judge grades Tiny World eval items, whose exact answers it is measured against.', 'Train a run on the Tiny World base model (Models page) first.');
  const checkpoint = await latestCheckpoint(run.id);
  if (!checkpoint) throw new CheckpointError('This run has no checkpoint yet, so there is no fine-tuned model to judge against its base.', 'Train it until its first checkpoint, then judge again.');
  const base = await runBaseOf(run);
  const tokenizer = evalTokenizerOf(base.tokenizer!);
  const suite = skillProbeSuite(input.itemsPerSkill, input.skills);
  const items = suite.probes.flatMap((probe) => (probe.metric === 'exact_match' ? (probe.items as GenerationItem[]).map((item) => ({ skill: probe.name, item })) : []));
  if (items.length === 0) throw new JudgeInputError('No eval items to judge.', 'Pick at least one skill and one item per skill.');
  const stopId = tokenizer.encode(STOP)[0];

  const baseName = tinyWorldBaseName(run.model.baseId ?? run.model.name);
  const maxNewOf = (item: GenerationItem) => tokenizer.encode(item.target).length + 2; // as the eval harness gives an exact-match item
  // Answers are greedy (at most the longest item's budget); the judge generates nothing, it only scores.
  const answerer = (runId?: string): ProducerId => ({ engine: 'engine', model: baseName, ...(runId && { runId }), sampling: { temperature: 0, maxNewTokens: Math.max(...items.map(({ item }) => maxNewOf(item))) }, seed: 0 });
  const judgeId: ProducerId = { engine: 'engine', model: baseName, ...(input.judge === 'fine-tuned' && { runId: run.id }), sampling: { temperature: 0, maxNewTokens: 0 }, seed: 0 };

  const model = createModel(base.setup.config, base.setup.weights ?? { seed: base.setup.initSeed });
  let judgeModel: CausalLM | null = null;
  let lora: LoraAdapter | null = null;
  const total = items.length * 3;
  try {
    const answer = async (lo: LoraAdapter | null, offset: number) => {
      const m = evalModelOf(model, lo);
      const out: string[] = [];
      for (const { item } of items) {
        if (signal.aborted) throw new JobCancelledError('Judging was cancelled.', 'Start it again when ready.');
        out.push(tokenizer.decode(await m.generateGreedy(tokenizer.encode(item.prompt), maxNewOf(item), stopId, tokenizer.vocabSize)));
        onProgress({ phase: 'answering', done: offset + out.length, total });
      }
      return out;
    };
    const baseAnswers = await answer(null, 0);
    // Full fine-tuning writes the tuned weights into `model`; a base judge then needs its own copy of the base.
    lora = restoreForInference(model, checkpoint.state as TrainerCheckpoint);
    const tunedAnswers = await answer(lora, items.length);
    if (input.judge === 'base' && !lora) judgeModel = createModel(base.setup.config, base.setup.weights ?? { seed: base.setup.initSeed });
    const judge = engineLikelihoodJudge({
      model: judgeModel ?? model,
      lora: input.judge === 'fine-tuned' ? lora : null,
      tokenizer: base.tokenizer!,
      producer: judgeId,
      scoring: input.scoring,
      answerSuffix: STOP,
    });
    const verdicts = await judge.pairwise(
      items.map(({ item }, i) => ({ prompt: item.prompt, a: baseAnswers[i], b: tunedAnswers[i] })),
      { signal, onProgress: (done) => onProgress({ phase: 'judging', done: 2 * items.length + done, total }) },
    );
    const pairs: GradedPair[] = items.map(({ skill, item }, i) => {
      const { firstOrder, swappedOrder, consistent, winner, scoreA, scoreB } = verdicts[i];
      return {
        group: skill,
        prompt: item.prompt,
        reference: item.target,
        base: baseAnswers[i],
        tuned: tunedAnswers[i],
        baseCorrect: baseAnswers[i].trim() === item.target.trim(),
        tunedCorrect: tunedAnswers[i].trim() === item.target.trim(),
        judgement: { firstOrder, swappedOrder, consistent, winner },
        scoreA,
        scoreB,
      };
    });
    const skills = [...new Set(items.map((i) => i.skill))];
    return {
      input,
      tunedStep: checkpoint.step,
      judge: judgeId,
      answers: { base: answerer(), tuned: answerer(run.id) },
      evalSet: `Tiny World development items (seed ${PROBE_SEED}), ${input.itemsPerSkill} per skill: ${skills.join(', ')}`,
      pairs,
      grades: gradeJudgements(pairs),
      perSkill: skills.map((skill) => ({ skill, grades: gradeJudgements(pairs.filter((p) => p.group === skill)) })),
    };
  } finally {
    lora?.dispose();
    judgeModel?.dispose();
    model.dispose();
  }
}

/** The graded pairs as a preference dataset ({"prompt","chosen","rejected"}), chosen by the judge or by the exact metric, with its lineage. */
export async function savePreferencePairsJob({ result, source }: SavePreferencePairsInput): Promise<DatasetSummary> {
  const rows = preferencePairs(result.pairs, source, STOP);
  if (rows.length === 0) {
    throw new JudgeInputError(
      source === 'judge' ? 'The judge preferred neither answer on every pair (ties only), so there is no pair to save.' : 'Every answer was exact-match correct, so the exact metric has no wrong answer to reject.',
      'Judge more items, or a run whose answers differ from its base’s.',
    );
  }
  const lineage: PreferenceLineage = { source, judge: source === 'judge' ? result.judge : null, answers: result.answers, runId: result.input.runId, tunedStep: result.tunedStep, evalSet: result.evalSet };
  const by = source === 'judge' ? `${result.input.scoring === 'sum' ? 'summed' : 'per-token'} likelihood judge (${result.input.judge})` : 'exact match';
  const writer = new DatasetWriter({ name: `Preference pairs by ${by}, run step ${result.tunedStep} (${rows.length} pairs)`, source: 'example', format: 'generated', splitSeed: 0 });
  try {
    for (const row of rows) await writer.add(row);
    return await writer.finish([], 0, { preferenceLineage: lineage });
  } catch (error) {
    await writer.discard();
    throw error;
  }
}
