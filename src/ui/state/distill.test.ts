// The Distill panel's state with a web-llm teacher (a WebLlmTeacher over a stand-in engine answering in web-llm's reply types): generate → review; a failure mid-way stores a draft; resume asks only the missing prompts with their first-run seeds; a changed teacher is refused; save deletes the draft.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatCompletion, ChatCompletionRequestNonStreaming } from '@mlc-ai/web-llm';
import type { DistillDraftRecord, DistillPrompts, DistillPromptSource } from '../../contract';
import { WebLlmTeacher, type WebLlmProducerSettings } from '../../engine/teacher/web-llm/teacher';
import type { ChatEngine } from '../../engine/teacher/web-llm/ask';
import type { DistilledDatasetSpec } from '../../storage/dataset-distilled';

const MODEL = 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC';
/** What the stand-in engine answers per call (by the asked line); null = a lost device. */
let answer: (line: string) => string | null = () => '';
const asked: { line: string; seed: number | null | undefined }[] = [];
const web = { loadedId: MODEL as string | null, revision: 'v0_2_86/base' };

function reply(content: string): ChatCompletion {
  return {
    id: 'x', object: 'chat.completion', created: 0, model: MODEL,
    choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content } }],
    usage: { completion_tokens: 3, prompt_tokens: 1, total_tokens: 4, extra: { e2e_latency_s: 0, prefill_tokens_per_s: 0, decode_tokens_per_s: 0, time_to_first_token_s: 0, time_per_output_token_s: 0 } },
  };
}

const engine: ChatEngine = {
  chat: {
    completions: {
      create: async (request: ChatCompletionRequestNonStreaming) => {
        const line = (request.messages[0].content as string).split('\n').at(-1)!;
        asked.push({ line, seed: request.seed });
        const text = answer(line);
        if (text === null) throw new Error('DeviceLostError: The GPU device was lost.');
        return reply(text);
      },
    },
  },
  interruptGenerate: () => {},
};

vi.mock('./webllm.svelte', () => ({
  webLlmService: () => ({
    get loadedId() {
      return web.loadedId;
    },
    teacher: (settings: Omit<WebLlmProducerSettings, 'modelId' | 'revision' | 'url'>) => new WebLlmTeacher(engine, { ...settings, modelId: web.loadedId!, revision: web.revision, url: `https://huggingface.co/mlc-ai/${web.loadedId}` }),
  }),
}));

const stored = new Map<string, DistillDraftRecord>();
vi.mock('../../storage/distill-drafts', async (actual) => ({
  ...(await actual<typeof import('../../storage/distill-drafts')>()),
  listDistillDrafts: async () => [...stored.values()].sort((a, b) => b.createdAt - a.createdAt),
  putDistillDraft: async (d: DistillDraftRecord) => void stored.set(d.id, structuredClone(d)),
  deleteDistillDraft: async (id: string) => void stored.delete(id),
}));

/** The GPU worker's reading of a dataset source (the page asks it for the prompts). */
async function distillPrompts(_id: string, source: DistillPromptSource): Promise<DistillPrompts> {
  if (source.kind !== 'dataset') throw new Error('the test reads datasets only');
  return {
    items: ['REV abc=', 'REV dog=', 'REV sun=', 'REV map='].slice(0, source.limit).map((prompt, i) => ({ prompt, reference: [...prompt.slice(4, 7)].reverse().join(''), sourceRowId: `row${i}` })),
    label: 'train prompts of “Reverse”',
    dataset: { id: 'ds1', sha256: 'abc123' },
    endsWithNewline: true,
    shots: [],
  };
}

const savedSpecs: DistilledDatasetSpec[] = [];
vi.mock('../job-client', () => ({
  startJob: (run: (api: unknown, id: string) => Promise<unknown>) => ({
    result: run({ distillPrompts, saveDistilled: async (_id: string, spec: DistilledDatasetSpec) => (savedSpecs.push(spec), { id: 'new', name: spec.name, stats: { rows: spec.rows.length } }) }, 'job'),
    stop: async () => {},
  }),
}));

const reverse = (line: string) => [...line.slice(4, 7)].reverse().join('');

async function state() {
  const { DistillState } = await import('./distill.svelte');
  const d = new DistillState();
  d.teacherKind = 'web-llm';
  d.sourceKind = 'dataset';
  d.split = 'train';
  d.limit = 4;
  d.temperature = 0;
  d.maxTokens = 16;
  d.seed = 40;
  return d;
}

beforeEach(() => {
  stored.clear();
  asked.length = 0;
  savedSpecs.length = 0;
  web.loadedId = MODEL;
  answer = reverse;
});

describe('distillation from a web-llm teacher, page side', () => {
  it('generates every prompt (seed + position), reviews against the references, saves with the producer and the source rows', async () => {
    const d = await state();
    await d.generate('ds1', `web-llm · ${MODEL}`);
    expect(d.result?.status).toBe('complete');
    expect(d.result?.rows.map((r) => [r.completion, r.reference, r.seed, r.sourceRowId])).toEqual([
      ['cba', 'cba', 40, 'row0'], ['god', 'god', 41, 'row1'], ['nus', 'nus', 42, 'row2'], ['pam', 'pam', 43, 'row3'],
    ]);
    expect(d.result?.producer).toMatchObject({ engine: 'web-llm', model: MODEL, revision: 'v0_2_86/base', url: `https://huggingface.co/mlc-ai/${MODEL}`, sampling: { temperature: 0, maxNewTokens: 16 }, seed: 40 });
    expect(d.result?.tokens).toBe(12);
    expect(d.progress).toEqual({ done: 4, total: 4, tokens: 12 });
    expect(d.drafts).toEqual([]); // a finished generation is not a draft
    d.toggle(1);
    await d.save('Distilled');
    expect(savedSpecs[0].rows.map((r) => r.index)).toEqual([0, 2, 3]);
    expect(savedSpecs[0]).toMatchObject({ stopSuffix: '\n', sourceDataset: { id: 'ds1', sha256: 'abc123' }, draft: false, total: 4 });
  });

  it('a device lost mid-way: the rows so far are a stored draft with the named error; resume asks only the rest, with their first-run seeds; save deletes the draft', async () => {
    answer = (line) => (line === 'REV sun=' ? null : reverse(line));
    const d = await state();
    await d.generate('ds1', 'teacher');
    expect(d.result?.status).toBe('failed');
    expect(d.result?.rows.map((r) => r.index)).toEqual([0, 1]);
    expect(d.error?.name).toBe('DeviceLostError');
    expect(d.error?.hint).toMatch(/smaller model/);
    expect(d.drafts).toHaveLength(1);
    expect(stored.size).toBe(1);
    const draft = d.drafts[0];
    expect(draft.request).toMatchObject({ teacher: { kind: 'web-llm', modelId: MODEL }, source: { kind: 'dataset', datasetId: 'ds1' }, seed: 40 });

    // The form changes meanwhile: a resume still asks with the draft's own settings.
    d.seed = 99;
    d.discard();
    expect(d.result).toBeNull();
    expect(stored.size).toBe(1); // closing keeps the stored draft
    answer = reverse;
    asked.length = 0;
    await d.resume(draft);
    expect(asked).toEqual([{ line: 'REV sun=', seed: 42 }, { line: 'REV map=', seed: 43 }]);
    expect(d.result?.status).toBe('complete');
    expect(d.result?.rows.map((r) => [r.index, r.completion])).toEqual([[0, 'cba'], [1, 'god'], [2, 'nus'], [3, 'pam']]);
    expect(d.draftId).toBe(draft.id);
    expect(stored.get(draft.id)?.result.status).toBe('complete'); // kept until saved or deleted
    await d.save('Distilled');
    expect(savedSpecs[0].rows).toHaveLength(4);
    expect(stored.size).toBe(0);
    expect(d.drafts).toEqual([]);
  });

  it('a resume by another teacher is refused, naming why; the draft stays as it was', async () => {
    answer = (line) => (line === 'REV dog=' ? '' : reverse(line));
    const d = await state();
    await d.generate('ds1', 'teacher');
    expect(d.error?.message).toMatch(/returned nothing for prompt 2 "REV dog="/);
    const draft = d.drafts[0];
    web.loadedId = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
    await d.resume(draft);
    expect(d.error?.message).toMatch(new RegExp(`${MODEL} is not loaded \\(SmolLM2-360M-Instruct-q4f32_1-MLC is\\)`));
    expect(stored.get(draft.id)?.result.rows).toHaveLength(1);
    await d.deleteDraft(draft.id);
    expect(stored.size).toBe(0);
    expect(d.result).toBeNull();
  });

  it('a cancel keeps the rows so far as a stored draft', async () => {
    const d = await state();
    answer = (line) => {
      if (line === 'REV dog=') d.cancel();
      return reverse(line);
    };
    await d.generate('ds1', 'teacher');
    expect(d.result?.status).toBe('cancelled');
    expect(d.result?.rows.length).toBeLessThan(4);
    expect(d.error).toBeNull();
    expect(stored.size).toBe(1);
  });
});
