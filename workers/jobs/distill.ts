// Job: a run's base or fine-tuned model (the teacher) answers a prompt source with batched sampling; a cancel or failure returns what was generated as a draft.
import type { DistillInput, DistillProgress, DistillPromptSource, DistillResult, DistillRow, ProducerId, RunRecord } from '../../src/contract';
import { CheckpointError, DatasetStorageError, JobCancelledError, serializeError, WorldSpecError } from '../../src/engine/errors';
import { decodeIds } from '../../src/engine/tokenizers/char-vocab';
import { generateEvalSet, generateWorldDataset, SKILL_NAMES, type SkillName } from '../../src/engine/world/index';
import { datasetRowChunks, loadDataset } from '../../src/storage/datasets';
import { loadRun } from '../../src/storage/runs';
import { runBaseOf, shippedBase, tinyWorldBaseName } from '../helpers/base-model';
import { loadEngine } from '../helpers/load-engine';
import { tunedWeightsOf } from '../helpers/tuned-weights';
import { promptOf } from './generate';

interface SourceItem {
  prompt: string;
  reference?: string;
}

/** Tiny World completions end at "\n"; the reference is compared without it. */
const stripNewline = (s: string) => s.replace(/\n$/, '');

async function datasetItems(source: Extract<DistillPromptSource, { kind: 'dataset' }>): Promise<{ items: SourceItem[]; label: string }> {
  const dataset = await loadDataset(source.datasetId);
  if (!dataset) throw new DatasetStorageError('The dataset to take prompts from was deleted.', 'Pick another dataset.');
  const items: SourceItem[] = [];
  for await (const chunk of datasetRowChunks(dataset)) {
    for (const row of chunk) {
      if (items.length >= source.limit) break;
      if (source.split !== 'all' && row.split !== source.split) continue;
      if (row.kind === 'text' || row.prompt.trim() === '') continue; // nothing to prompt with
      items.push({ prompt: row.prompt, ...(row.completion ? { reference: stripNewline(row.completion) } : {}) });
    }
  }
  if (items.length === 0) throw new DatasetStorageError(`“${dataset.name}” has no rows with a prompt in its ${source.split === 'all' ? 'rows' : `${source.split} split`}.`, 'Pick a dataset of prompt/completion or chat rows, or another split.');
  return { items, label: `${source.split === 'all' ? 'all' : source.split} prompts of “${dataset.name}”` };
}

function worldItems(source: Extract<DistillPromptSource, { kind: 'world' }>): { items: SourceItem[]; label: string } {
  if (!(SKILL_NAMES as readonly string[]).includes(source.skill)) throw new WorldSpecError(`Tiny World has no skill “${source.skill}”.`, `Pick one of ${SKILL_NAMES.join(', ')}.`);
  const skill = source.skill as SkillName;
  const examples = source.split === 'eval' ? generateEvalSet(skill, source.count, source.seed) : generateWorldDataset({ mix: { [skill]: 1 }, size: source.count, split: 'train', seed: source.seed }).examples;
  return { items: examples.map((e) => ({ prompt: e.prompt, reference: stripNewline(e.completion) })), label: `Tiny World ${skill} (${source.split === 'eval' ? 'held-out' : 'training'} items, seed ${source.seed})` };
}

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
  const { items, label } = input.source.kind === 'dataset' ? await datasetItems(input.source) : worldItems(input.source);
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
    tokens,
    elapsedMs: performance.now() - started,
  });
  try {
    report({ done: 0, total: items.length, tokens: 0 });
    await port.teacher.generate(
      items.map((i) => i.prompt),
      {
        signal,
        onCompletion: (index, c) => {
          tokens += Math.max(1, (tokenizer ? tokenizer.encode(c.completion).length : c.completion.length) + (c.finishReason === 'stop' ? 1 : 0));
          rows.push({ index, prompt: c.prompt, completion: c.completion, finishReason: c.finishReason, seed: c.producer.seed, ...(items[index].reference !== undefined ? { reference: items[index].reference } : {}) });
          report({ done: rows.length, total: items.length, tokens });
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
