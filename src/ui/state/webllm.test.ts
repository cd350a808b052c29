// The web-llm service's flow with a stand-in worker session: list → review (nothing loaded) → confirm → ready; cancel; a failed download keeps the worker, a lost device ends it.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { prebuiltAppConfig, type ChatCompletion, type ChatCompletionRequestNonStreaming, type InitProgressReport } from '@mlc-ai/web-llm';
import { DeviceLostError, WebLlmNetworkError } from '../../engine/errors';

/** One stand-in worker session per start; the test drives its load and answers. */
interface StandIn {
  loads: string[];
  terminated: boolean;
  finishLoad: () => void;
  failLoad: (e: unknown) => void;
  progress: (r: InitProgressReport) => void;
  answer: (request: ChatCompletionRequestNonStreaming) => Promise<ChatCompletion>;
}
const sessions: StandIn[] = [];

vi.mock('../webllm-client', () => ({
  startWebLlmWorker: () => {
    const s: StandIn = { loads: [], terminated: false, finishLoad: () => {}, failLoad: () => {}, progress: () => {}, answer: async () => reply('ok') };
    sessions.push(s);
    return {
      api: {
        catalog: async () => ({ records: prebuiltAppConfig.model_list, modelVersion: 'v0_2_86/base' }),
        isCached: async () => false,
      },
      engine: { chat: { completions: { create: (r: ChatCompletionRequestNonStreaming) => s.answer(r) } }, interruptGenerate: () => {} },
      load: (modelId: string, onProgress: (r: InitProgressReport) => void) => {
        s.loads.push(modelId);
        s.progress = onProgress;
        return new Promise<void>((resolve, reject) => {
          s.finishLoad = resolve;
          s.failLoad = reject;
        });
      },
      terminate: () => (s.terminated = true),
      broken: () => false,
    };
  },
}));

function reply(content: string): ChatCompletion {
  return { id: 'x', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', content } }] };
}

const MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  sessions.length = 0;
  vi.stubGlobal('navigator', {
    onLine: true,
    gpu: { requestAdapter: async () => ({ features: new Set<string>(), limits: { maxBufferSize: 2 ** 31, maxStorageBufferBindingSize: 2 ** 30 } }) },
  });
});

async function opened() {
  const { WebLlmState } = await import('./webllm.svelte');
  const state = new WebLlmState();
  await state.open();
  return state;
}

describe('WebLlmState', () => {
  it('lists, reviews (nothing loaded yet), confirms, reports progress, and hands out a Teacher whose producer is the model', async () => {
    const state = await opened();
    expect(state.phase).toBe('choosing');
    expect(state.vramBudgetMB).toBe(4096);
    expect(state.choices.find((c) => c.id === 'SmolLM2-360M-Instruct-q4f16_1-MLC')?.status).toBe('disabled');
    state.select(MODEL);
    await state.review();
    expect(state.phase).toBe('confirming');
    expect(sessions[0].loads).toEqual([]);
    const loading = state.confirm();
    await tick();
    expect(state.phase).toBe('loading');
    sessions[0].progress({ progress: 0.4, timeElapsed: 1, text: 'Fetching param cache[2/5]' });
    expect(state.progress).toEqual({ fraction: 0.4, text: 'Fetching param cache[2/5]' });
    sessions[0].finishLoad();
    await loading;
    expect([state.phase, state.loadedId]).toEqual(['ready', MODEL]);
    const teacher = state.teacher({ maxNewTokens: 8, seed: 3 });
    expect(teacher.id).toMatchObject({ engine: 'web-llm', model: MODEL, revision: 'v0_2_86/base', seed: 3 });
    expect((await teacher.generate(['hi']))[0].completion).toBe('ok');
  });

  it('a model the adapter cannot run is refused at review with a named reason', async () => {
    const state = await opened();
    state.select('SmolLM2-360M-Instruct-q4f16_1-MLC');
    await state.review();
    expect(state.phase).toBe('choosing');
    expect(state.error).toMatchObject({ name: 'WebLlmUnsupportedModelError', message: expect.stringMatching(/shader-f16/) });
  });

  it('cancel mid-download ends the worker and ignores the late answer; the next try starts a fresh one', async () => {
    const state = await opened();
    state.select(MODEL);
    await state.review();
    const loading = state.confirm();
    await tick();
    state.cancel();
    expect([state.phase, sessions[0].terminated, state.progress]).toEqual(['choosing', true, null]);
    sessions[0].finishLoad();
    await loading;
    expect(state.loadedId).toBeNull();
    await state.review();
    void state.confirm();
    await tick();
    expect(sessions).toHaveLength(2);
  });

  it('no network: the named error is shown, the worker (web-llm loaded) is kept; a lost device ends it', async () => {
    const state = await opened();
    state.select(MODEL);
    await state.review();
    const first = state.confirm();
    await tick();
    sessions[0].failLoad(new WebLlmNetworkError('You are offline, so it could not be downloaded.', 'TuneLab itself keeps working.'));
    await first;
    expect(state.phase).toBe('choosing');
    expect(state.error).toMatchObject({ name: 'WebLlmNetworkError', hint: 'TuneLab itself keeps working.' });
    expect(sessions[0].terminated).toBe(false);
    await state.review();
    const second = state.confirm();
    await tick();
    sessions[0].failLoad(new DeviceLostError('The GPU device was lost while loading.'));
    await second;
    expect(sessions[0].terminated).toBe(true);
  });

  it('a device lost mid-generation ends the worker and says so; no Teacher without a loaded model', async () => {
    const state = await opened();
    expect(() => state.teacher({ maxNewTokens: 8, seed: 0 })).toThrow(/No web-llm model is loaded/);
    state.select(MODEL);
    await state.review();
    const loading = state.confirm();
    await tick();
    sessions[0].finishLoad();
    await loading;
    sessions[0].answer = async () => {
      throw new DeviceLostError('The GPU device was lost while it was generating.');
    };
    await expect(state.teacher({ maxNewTokens: 8, seed: 0 }).generate(['x'])).rejects.toBeInstanceOf(DeviceLostError);
    expect([state.phase, state.loadedId, sessions[0].terminated]).toEqual(['choosing', null, true]);
    expect(state.error?.name).toBe('DeviceLostError');
  });
});
