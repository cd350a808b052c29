// The web-llm Teacher and Judge against a stand-in engine typed as web-llm's own MLCEngineInterface (a change there breaks this at tsc time); requests pass web-llm's own request check.
import { describe, expect, it } from 'vitest';
import {
  Chat,
  Completions,
  Embeddings,
  ModelType,
  postInitAndCheckFieldsChatCompletion,
  type AppConfig,
  type ChatCompletion,
  type ChatCompletionRequest,
  type ChatCompletionRequestNonStreaming,
  type ChatOptions,
  type CreateEmbeddingResponse,
  type InitProgressCallback,
  type MLCEngineInterface,
  type ResumeProbeResult,
  type ResumeResult,
} from '@mlc-ai/web-llm';
import { JobCancelledError, WebLlmOutputError, DeviceLostError, GpuMemoryError } from '../../errors';
import { WebLlmTimeoutError } from './ask';
import { WebLlmTeacher } from './teacher';
import { runTeacher, tinyWorldPromptFormat } from '../distill-run';
import { WebLlmJudge, combine, unswap } from './judge';
import type { ChatEngine } from './ask';

/** Compile-time: every web-llm engine (MLCEngine, WebWorkerMLCEngine: MLCEngineInterface) is a ChatEngine. */
export type EveryWebLlmEngineIsAChatEngine = MLCEngineInterface extends ChatEngine ? true : never;
const _check: EveryWebLlmEngineIsAChatEngine = true;

type Reply = string | { content: string; finish?: 'stop' | 'length'; tokens?: number } | Error | 'hang';

const MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';

/** Answers chat completions from a script (by call order), records each request, checks it as web-llm does. */
class StandInEngine implements MLCEngineInterface {
  chat: Chat = new Chat(this);
  completions: Completions = new Completions(this);
  embeddings: Embeddings = new Embeddings(this);
  requests: ChatCompletionRequestNonStreaming[] = [];
  interrupts = 0;
  private pendingHang: (() => void) | null = null;
  constructor(private readonly script: (request: ChatCompletionRequestNonStreaming, call: number) => Reply) {}

  async chatCompletion(request: ChatCompletionRequestNonStreaming): Promise<ChatCompletion>;
  async chatCompletion(request: ChatCompletionRequest): Promise<never>;
  async chatCompletion(request: ChatCompletionRequest): Promise<ChatCompletion> {
    // web-llm's own validation of a request (unsupported fields, message order, …), as MLCEngine runs it.
    postInitAndCheckFieldsChatCompletion(request, MODEL, ModelType.LLM);
    if (request.stream) throw new Error('the stand-in answers non-streaming requests only');
    this.requests.push(request);
    const reply = this.script(request, this.requests.length - 1);
    if (reply instanceof Error) throw reply;
    if (reply === 'hang') return new Promise((resolve) => (this.pendingHang = () => resolve(completion('', 'abort'))));
    const { content, finish = 'stop', tokens } = typeof reply === 'string' ? { content: reply, tokens: undefined } : reply;
    return { ...completion(content, finish), ...(tokens !== undefined ? { usage: usage(tokens) } : {}) };
  }
  interruptGenerate(): void {
    this.interrupts++;
    this.pendingHang?.();
  }
  setInitProgressCallback(_: InitProgressCallback): void {}
  getInitProgressCallback(): InitProgressCallback | undefined {
    return undefined;
  }
  setAppConfig(_: AppConfig): void {}
  async reload(_modelId: string | string[], _chatOpts?: ChatOptions | ChatOptions[]): Promise<void> {}
  completion(): never {
    throw new Error('not used');
  }
  embedding(): Promise<CreateEmbeddingResponse> {
    throw new Error('not used');
  }
  async listResumableSessions(): Promise<ResumeProbeResult[]> {
    return [];
  }
  resumeChatCompletion(): Promise<ResumeResult> {
    throw new Error('not used');
  }
  async deleteResumableSession(): Promise<void> {}
  async runtimeStatsText(): Promise<string> {
    return '';
  }
  async unload(): Promise<void> {}
  async resetChat(): Promise<void> {}
  async getMessage(): Promise<string> {
    return '';
  }
  async getMaxStorageBufferBindingSize(): Promise<number> {
    return 1 << 30;
  }
  async getGPUVendor(): Promise<string> {
    return '';
  }
  async forwardTokensAndSample(): Promise<number> {
    return 0;
  }
  setLogLevel(): void {}
}

function completion(content: string, finish: 'stop' | 'length' | 'abort'): ChatCompletion {
  return {
    id: 'x',
    object: 'chat.completion',
    created: 0,
    model: MODEL,
    choices: [{ index: 0, finish_reason: finish, logprobs: null, message: { role: 'assistant', content } }],
  };
}

/** web-llm's usage block of a reply that generated `tokens` tokens. */
function usage(tokens: number): NonNullable<ChatCompletion['usage']> {
  return { completion_tokens: tokens, prompt_tokens: 1, total_tokens: tokens + 1, extra: { e2e_latency_s: 0, prefill_tokens_per_s: 0, decode_tokens_per_s: 0, time_to_first_token_s: 0, time_per_output_token_s: 0 } };
}

const userText = (r: ChatCompletionRequestNonStreaming) => r.messages[0].content as string;
const settings = { modelId: MODEL, revision: 'v0_2_86/base', temperature: 0.7, topP: 0.9, maxNewTokens: 64, seed: 100 };

describe('WebLlmTeacher', () => {
  it('asks one chat completion per prompt, with the sampling settings and seed + i, and records them in the producer id', async () => {
    const engine = new StandInEngine((r) => (userText(r) === '2+2=' ? '4' : { content: 'a long story', finish: 'length' }));
    const teacher = new WebLlmTeacher(engine, settings);
    const progress: string[] = [];
    const rows = await teacher.generate(['2+2=', 'tell me a story'], { onProgress: (d, t) => progress.push(`${d}/${t}`) });
    expect(teacher.id).toEqual({ engine: 'web-llm', model: MODEL, revision: 'v0_2_86/base', sampling: { temperature: 0.7, topP: 0.9, maxNewTokens: 64 }, seed: 100 });
    expect(rows.map((r) => [r.prompt, r.completion, r.finishReason])).toEqual([
      ['2+2=', '4', 'stop'],
      ['tell me a story', 'a long story', 'length'],
    ]);
    // Each row's producer is the teacher's, with the seed that row was asked with.
    expect(rows.map((r) => r.producer)).toEqual([{ ...teacher.id, seed: 100 }, { ...teacher.id, seed: 101 }]);
    expect(engine.requests.map((r) => [r.seed, r.temperature, r.top_p, r.max_tokens, r.stream])).toEqual([
      [100, 0.7, 0.9, 64, false],
      [101, 0.7, 0.9, 64, false],
    ]);
    expect(engine.requests[0].messages).toEqual([{ role: 'user', content: '2+2=' }]);
    expect(progress).toEqual(['1/2', '2/2']);
  });

  it('drops a reasoning model\'s <think> block from the completion', async () => {
    const teacher = new WebLlmTeacher(new StandInEngine(() => '<think>hmm, 2+2</think>\n4'), settings);
    expect((await teacher.generate(['2+2=']))[0].completion).toBe('4');
  });

  it('a teacher that returns nothing is a named error naming the prompt', async () => {
    const teacher = new WebLlmTeacher(new StandInEngine((_, call) => (call === 0 ? 'ok' : '  ')), settings);
    const error = await teacher.generate(['first', 'second prompt']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebLlmOutputError);
    expect((error as Error).message).toMatch(/returned nothing for prompt 2 "second prompt"/);
  });

  it('an empty prompt is refused before anything is asked', async () => {
    const engine = new StandInEngine(() => 'x');
    await expect(new WebLlmTeacher(engine, settings).generate(['a', ' '])).rejects.toThrow(/Prompt 2 is empty/);
    expect(engine.requests).toHaveLength(1);
  });

  it('a teacher that hangs times out with a named error naming the prompt, and is interrupted', async () => {
    const engine = new StandInEngine(() => 'hang');
    const error = await new WebLlmTeacher(engine, settings, 30).generate(['slow one']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebLlmOutputError);
    expect((error as Error).message).toMatch(/gave no answer to prompt 1 "slow one" within 0 s/);
    expect(engine.interrupts).toBe(1);
  });

  it('stops on the signal (interrupting the engine), and maps web-llm\'s own failures to named errors', async () => {
    const engine = new StandInEngine(() => 'hang');
    const controller = new AbortController();
    const pending = new WebLlmTeacher(engine, settings).generate(['x'], { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(JobCancelledError);
    expect(engine.interrupts).toBe(1);
    // What web-llm's worker posts for a lost device is `err.toString()` of its DeviceLostError.
    const lost = new StandInEngine(() => new Error('DeviceLostError: The WebGPU device was lost while loading the model.'));
    await expect(new WebLlmTeacher(lost, settings).generate(['x'])).rejects.toBeInstanceOf(DeviceLostError);
  });
});

describe('WebLlmJudge', () => {
  it('asks each pair twice, A/B swapped, and maps the swapped verdict back', async () => {
    // The judge always prefers whatever answer contains "right", in any position: consistent.
    const fair = new StandInEngine((r) => (/\[Answer A\]\nright/.test(userText(r)) ? '[[A]]' : 'Verdict: [[B]]'));
    const [j] = await new WebLlmJudge(fair, settings).pairwise([{ prompt: 'q', a: 'right', b: 'wrong' }]);
    expect([j.firstOrder, j.swappedOrder, j.consistent, j.winner]).toEqual(['A', 'A', true, 'A']);
    expect(fair.requests.map((r) => userText(r).match(/\[Answer A\]\n(\w+)/)?.[1])).toEqual(['right', 'wrong']);
    expect(fair.requests.map((r) => r.seed)).toEqual([100, 101]);
    expect(j.raw).toEqual({ firstOrder: '[[A]]', swappedOrder: 'Verdict: [[B]]' });

    // A judge that always says "A" (pure position bias): inconsistent, so no winner.
    const biased = new StandInEngine(() => 'A');
    const [k] = await new WebLlmJudge(biased, settings).pairwise([{ prompt: 'q', a: 'x', b: 'y' }]);
    expect([k.firstOrder, k.swappedOrder, k.consistent, k.winner]).toEqual(['A', 'B', false, 'tie']);
  });

  it('an unreadable verdict is a tie with its raw text kept; a judge that returns nothing is a named error', async () => {
    const vague = new StandInEngine((_, call) => (call === 0 ? 'Both have merits.' : '[[B]]'));
    const [j] = await new WebLlmJudge(vague, settings).pairwise([{ prompt: 'q', a: 'x', b: 'y' }]);
    expect([j.firstOrder, j.swappedOrder, j.winner]).toEqual(['tie', 'A', 'tie']);
    expect(j.raw?.firstOrder).toBe('Both have merits.');
    await expect(new WebLlmJudge(new StandInEngine(() => ''), settings).pairwise([{ prompt: 'which?', a: 'x', b: 'y' }])).rejects.toThrow(/returned nothing when judging item 1 "which\?"/);
  });

  it('rubric: parses the score on the scale, or names the item it could not read', async () => {
    const engine = new StandInEngine((_, call) => ['[[4]]', 'Score: 2', 'I would say 7 out of 10', 'ok'][call]);
    const judge = new WebLlmJudge(engine, settings, { scale: { min: 1, max: 5 } });
    const scores = await judge.rubric([{ prompt: 'a', answer: '1' }, { prompt: 'b', answer: '2' }], 'correct?');
    expect(scores.map((s) => s.score)).toEqual([4, 2]);
    expect(scores[0].raw).toBe('[[4]]');
    expect(userText(engine.requests[0])).toContain('[Rubric]\ncorrect?');
    await expect(judge.rubric([{ prompt: 'third', answer: '3' }], 'r')).rejects.toThrow(/gave no score from 1 to 5 for item 1 "third"; it said: "I would say 7 out of 10"/);
  });

  it('combines orders by hand-worked cases', () => {
    expect(unswap('A')).toBe('B');
    expect(unswap('tie')).toBe('tie');
    expect(combine('B', 'B')).toEqual({ consistent: true, winner: 'B' });
    expect(combine('tie', 'tie')).toEqual({ consistent: true, winner: 'tie' });
    expect(combine('A', 'tie')).toEqual({ consistent: false, winner: 'tie' });
  });
});

describe('distillation on the web-llm teacher (runTeacher)', () => {
  const items = [
    { prompt: 'ADD 1+2=', reference: '3', sourceRowId: 'a' },
    { prompt: 'ADD 2+2=', reference: '4', sourceRowId: 'b' },
    { prompt: 'ADD 3+3=', reference: '6', sourceRowId: 'c' },
  ];
  const sum = (r: ChatCompletionRequestNonStreaming) => {
    const m = /ADD (\d)\+(\d)=\s*$/.exec(userText(r));
    return m ? String(Number(m[1]) + Number(m[2])) : '?';
  };

  it('answers every item in order with the seed of its source position, counts web-llm\'s reported tokens, and reports progress', async () => {
    const engine = new StandInEngine((r) => ({ content: sum(r), tokens: 2 }));
    const progress: string[] = [];
    const out = await runTeacher(new WebLlmTeacher(engine, settings), items, { onRow: (row, done, total, tokens) => progress.push(`${row.index}:${done}/${total}:${tokens}`) });
    expect(out.status).toBe('complete');
    expect(out.rows.map((r) => [r.index, r.completion, r.reference, r.sourceRowId, r.seed])).toEqual([
      [0, '3', '3', 'a', 100],
      [1, '4', '4', 'b', 101],
      [2, '6', '6', 'c', 102],
    ]);
    expect(engine.requests.map((r) => r.seed)).toEqual([100, 101, 102]);
    expect(out.tokens).toBe(6);
    expect(progress).toEqual(['0:1/3:2', '1:2/3:4', '2:3/3:6']);
  });

  it('a resumed run asks only the missing items, each with the same seed as in a first run', async () => {
    const engine = new StandInEngine((r) => sum(r));
    const out = await runTeacher(new WebLlmTeacher(engine, settings), items, { skip: [0, 2] });
    expect(out.rows.map((r) => [r.index, r.completion, r.seed])).toEqual([[1, '4', 101]]);
    expect(engine.requests.map((r) => r.seed)).toEqual([101]);
  });

  it('Tiny World lines go to a chat model as an instruction after solved examples; the answer is the reply\'s first line', async () => {
    const engine = new StandInEngine((r) => `${sum(r)}\nBecause adding is easy.`);
    const shots = [{ prompt: 'ADD 4+4=', completion: '8\n' }];
    const out = await runTeacher(new WebLlmTeacher(engine, settings), items.slice(0, 1), { tinyWorldShots: shots });
    expect(userText(engine.requests[0])).toBe('Solved examples, one per line:\nADD 4+4=8\n\nComplete the last line. Reply with the completion only: no explanation, no repetition of the line.\n\nADD 1+2=');
    expect(out.rows[0].completion).toBe('3');
    expect(out.rows[0].prompt).toBe('ADD 1+2=');
    expect(tinyWorldPromptFormat(1)).toMatch(/after 1 solved example of its skill/);
  });

  // Each failure ends the run with the rows answered before it (a draft) and a named error that says what to do.
  const failures: [string, (call: number) => Reply, new (...a: never[]) => Error, RegExp][] = [
    ['a timeout', (call) => (call === 1 ? 'hang' : '3'), WebLlmTimeoutError, /gave no answer to prompt 2 "ADD 2\+2=" within 0 s/],
    ['an empty answer', (call) => (call === 1 ? ' ' : '3'), WebLlmOutputError, /returned nothing for prompt 2 "ADD 2\+2="/],
    ['a device lost mid-generation', (call) => (call === 1 ? new Error('DeviceLostError: GPU device was lost') : '3'), DeviceLostError, /device was lost while .* was generating/],
    ['out of memory', (call) => (call === 1 ? new Error('GPUOutOfMemoryError: Out of memory') : '3'), GpuMemoryError, /ran out of GPU memory/],
  ];
  for (const [what, script, errorClass, message] of failures) {
    it(`${what}: the rows before it are kept as a draft, with the named error`, async () => {
      const engine = new StandInEngine((_, call) => script(call));
      const out = await runTeacher(new WebLlmTeacher(engine, settings, 30), items);
      expect(out.status).toBe('failed');
      expect(out.rows.map((r) => r.index)).toEqual([0]);
      expect(out.error).toBeInstanceOf(errorClass);
      expect((out.error as Error).name).toBe(errorClass.name);
      expect((out.error as Error).message).toMatch(message);
      expect((out.error as { hint?: string }).hint ?? '').not.toBe('');
    });
  }

  it('a comparison keeps empty and timed-out answers as wrong ones instead of stopping; a lost device still stops it', async () => {
    const engine = new StandInEngine((_, call) => (call === 0 ? '' : call === 1 ? 'hang' : '6'));
    const out = await runTeacher(new WebLlmTeacher(engine, settings, 30), items, { allowEmpty: true });
    expect(out.status).toBe('complete');
    expect(out.rows.map((r) => r.completion)).toEqual(['', '', '6']);
    const lost = await runTeacher(new WebLlmTeacher(new StandInEngine(() => new Error('DeviceLostError: lost')), settings), items, { allowEmpty: true });
    expect(lost.status).toBe('failed');
  });

  it('a cancel stops at once, interrupting web-llm, and keeps the rows so far', async () => {
    const controller = new AbortController();
    const engine = new StandInEngine((_, call) => (call === 1 ? 'hang' : '3'));
    const pending = runTeacher(new WebLlmTeacher(engine, settings), items, { signal: controller.signal, onRow: () => setTimeout(() => controller.abort(), 5) });
    const out = await pending;
    expect(out.status).toBe('cancelled');
    expect(out.rows.map((r) => r.index)).toEqual([0]);
    expect(engine.interrupts).toBe(1);
    expect(out.error).toBeUndefined();
  });
});
