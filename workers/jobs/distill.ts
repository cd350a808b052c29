// Job: a run's base or fine-tuned model (the teacher) answers a prompt source with batched sampling; a cancel or failure returns what was generated as a draft.
import type { DistillInput, DistillProgress, DistillPrompts, DistillPromptSource, DistillResult, DistillRow, ProducerId, RunRecord } from '../../src/contract';
import { tinyWorldShots } from '../../src/engine/eval/few-shot';
import type { SkillName } from '../../src/engine/world/types';
import { CheckpointError, JobCancelledError, serializeError } from '../../src/engine/errors';
import { decodeIds } from '../../src/engine/tokenizers/char-vocab';
import { distillSource } from '../../src/storage/distill-source';
import { loadRun } from '../../src/storage/runs';
import { runBaseOf, shippedBase, tinyWorldBaseName } from '../helpers/base-model';
import { loadEngine } from '../helpers/load-engine';
import { tunedWeightsOf } from '../helpers/tuned-weights';
import { promptOf } from './generate';

/** Who the teacher is: the base's name and weights hash, plus the run and its step when its fine-tuned weights answer. */
async function producerOf(run: RunRecord, input: DistillInput, tunedStep: number | null): Promise<ProducerId> {
  const model = run.model;
  let name = model.name;
  let revision: string | undefined;
  if (model.kind === 'tiny-world') {
    const base = await shippedBase(model.baseId ?? 'tiny-world-800k');
    name = tinyWorldBaseName(base.id);
    revision = base.identity.weightsSha256;
  } else if (model.kind === 'loaded') {
    name = model.baseId ?? model.name;
    revision = model.weightsSha256;
  } else {
    revision = `init-seed-${model.initSeed}`;
  }
  return {
    engine: 'engine',
    model: name,
    ...(revision ? { revision } : {}),
    ...(input.teacher.side === 'tuned' ? { runId: run.id, ...(tunedStep !== null ? { runStep: tunedStep } : {}) } : {}),
    sampling: { temperature: input.temperature, ...(input.temperature > 0 && input.topP < 1 ? { topP: input.topP } : {}), maxNewTokens: input.maxTokens },
    seed: input.seed,
  };
}

export async function distillJob(input: DistillInput, signal: AbortSignal, report: (p: DistillProgress) => void): Promise<DistillResult> {
  const started = performance.now();
  const run = await loadRun(input.teacher.runId);
  if (!run) throw new Error('The teacher run was not found; pick another teacher.');
  const tuned = input.teacher.side === 'tuned' ? await tunedWeightsOf(run) : null;
  if (input.teacher.side === 'tuned' && !tuned) throw new CheckpointError(`The run “${run.name}” has no fine-tuned weights yet.`, 'Train it first, or pick its base as the teacher.');
  const { items, label, dataset } = await distillSource(input.source);
  // A resumed draft asks only the prompts it lacks; each keeps its position (its seed) in the source.
  const skip = new Set(input.skip ?? []);
  const indices = items.flatMap((_, i) => (skip.has(i) ? [] : [i]));
  const base = await runBaseOf(run);
  const tokenizer = base.tokenizer;
  const producer = await producerOf(run, input, tuned?.step ?? null);
  const stopIds = promptOf(run, tokenizer, { prompt: 'x' }).stopIds;
  const engine = await loadEngine();
  const port = engine.createTeacher({
    ...base.setup,
    tuned: tuned?.trainable ?? null,
    producer,
    encode: (prompt) => promptOf(run, tokenizer, { prompt }).ids,
    decode: (ids) => (tokenizer ? tokenizer.decode(ids) : decodeIds(ids, run.vocab)),
    stopTokenIds: stopIds,
    vocabLimit: tokenizer?.vocabSize,
    allowEmpty: input.allowEmpty ?? false,
  });
  const rows: DistillRow[] = [];
  let tokens = 0;
  const finish = (status: DistillResult['status'], error?: unknown): DistillResult => ({
    status,
    ...(error !== undefined ? { error: serializeError(error) } : {}),
    rows: rows.sort((a, b) => a.index - b.index),
    total: items.length,
    producer,
    stopSuffix: run.model.kind === 'tiny-world' ? '\n' : '',
    sourceLabel: label,
    ...(dataset ? { sourceDataset: dataset } : {}),
    tokens,
    elapsedMs: performance.now() - started,
  });
  try {
    const done = skip.size;
    report({ done, total: items.length, tokens: 0 });
    if (indices.length > 0) await port.teacher.generate(
      indices.map((i) => items[i].prompt),
      {
        signal,
        indices,
        onCompletion: (at, c) => {
          const index = indices[at];
          const item = items[index];
          tokens += Math.max(1, (tokenizer ? tokenizer.encode(c.completion).length : c.completion.length) + (c.finishReason === 'stop' ? 1 : 0));
          rows.push({ index, prompt: c.prompt, completion: c.completion, finishReason: c.finishReason, seed: c.producer.seed, ...(item.reference !== undefined ? { reference: item.reference } : {}), ...(item.sourceRowId !== undefined ? { sourceRowId: item.sourceRowId } : {}) });
          report({ done: done + rows.length, total: items.length, tokens });
        },
      },
    );
    return finish('complete');
  } catch (error) {
    // What was generated is handed back as a draft, never merged anywhere: the page asks before saving it.
    if (error instanceof JobCancelledError || signal.aborted) return finish('cancelled');
    return finish('failed', error);
  } finally {
    port.dispose();
  }
}

/**
 * The prompts of a source for a teacher the page runs (web-llm), with `shots` solved examples of a Tiny World skill: read
 * and generated here so the Tiny World generator stays out of the page's JavaScript.
 */
export async function distillPromptsJob(source: DistillPromptSource, shots: number): Promise<DistillPrompts> {
  const { items, label, dataset, endsWithNewline } = await distillSource(source);
  return {
    items,
    label,
    ...(dataset ? { dataset } : {}),
    endsWithNewline,
    shots: source.kind === 'world' && shots > 0 ? tinyWorldShots(source.skill as SkillName).slice(0, shots) : [],
  };
}
