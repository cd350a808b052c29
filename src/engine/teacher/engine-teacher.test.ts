// The engine Teacher: completions equal one-by-one generate() per row seed, stop ids cut, empty answers named, score = teacher-forced log-likelihood.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init';
import { createModel, type CausalLM } from '../models/causal-lm';
import type { Gpt2Config } from '../models/config';
import { TeacherEmptyCompletionError } from '../errors';
import { generate } from '../generate/generate';
import { EngineTeacher } from './engine-teacher';
import type { ProducerId } from './port';

const gpt2: Gpt2Config = { model_type: 'gpt2', vocab_size: 12, n_positions: 32, n_embd: 16, n_layer: 2, n_head: 2, layer_norm_epsilon: 1e-5 };
const ALPHABET = 'abcdefghij\n';
/** Char ids 1…11 ("a"…"j", "\n"); id 0 is a start token no text maps to. */
const encode = (s: string) => [0, ...[...s].map((c) => ALPHABET.indexOf(c) + 1)];
const decode = (ids: number[]) => ids.map((id) => (id === 0 ? '' : ALPHABET[id - 1])).join('');
const NEWLINE = ALPHABET.indexOf('\n') + 1;

function producer(over: Partial<ProducerId> = {}): ProducerId {
  return { engine: 'engine', model: 'tiny test gpt2', revision: 'seed-3', sampling: { temperature: 0.9, topP: 0.95, maxNewTokens: 6 }, seed: 7, ...over };
}

let model: CausalLM;
beforeAll(async () => {
  await initBackend('cpu');
  model = createModel(gpt2, { seed: 3 });
});

describe('EngineTeacher', () => {
  const prompts = ['abc', 'de', 'fgh', 'ij', 'a', 'bbb'];

  it('answers every prompt as generate() would with the row seed, the stop id left out, the producer filled in', async () => {
    const teacher = new EngineTeacher({ model, producer: producer(), encode, decode, stopTokenIds: [NEWLINE], allowEmpty: true, maxBatch: 4 });
    const progress: number[] = [];
    const out = await teacher.generate(prompts, { onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    for (const [i, prompt] of prompts.entries()) {
      const alone = await generate(model, encode(prompt), { maxNewTokens: 6, temperature: 0.9, topP: 0.95, seed: teacher.rowSeed(i), stopTokenIds: [NEWLINE] });
      const stopped = alone.finishReason === 'stop_token';
      expect(out[i].completion).toBe(decode(stopped ? alone.ids.slice(0, -1) : alone.ids));
      expect(out[i].finishReason).toBe(stopped ? 'stop' : 'length');
      expect(out[i].prompt).toBe(prompt);
      expect(out[i].producer).toEqual({ ...producer(), seed: teacher.rowSeed(i) });
    }
    // Same seed → same completions; the rows differ from each other (per-row seeds, not one shared stream).
    expect((await teacher.generate(prompts)).map((c) => c.completion)).toEqual(out.map((c) => c.completion));
    expect(new Set(out.map((c) => c.completion)).size).toBeGreaterThan(1);
  });

  it('a resumed draft asks only some prompts: with their source positions as indices, each row is what the first run gave it', async () => {
    const teacher = new EngineTeacher({ model, producer: producer(), encode, decode, stopTokenIds: [NEWLINE], allowEmpty: true, maxBatch: 4 });
    const first = await teacher.generate(prompts);
    const indices = [1, 4, 5];
    const done: number[] = [];
    const resumed = await teacher.generate(indices.map((i) => prompts[i]), { indices, onCompletion: (at) => done.push(indices[at]) });
    expect(resumed.map((c) => c.completion)).toEqual(indices.map((i) => first[i].completion));
    expect(resumed.map((c) => c.producer.seed)).toEqual(indices.map((i) => teacher.rowSeed(i)));
    expect(done.sort()).toEqual(indices);
  });

  it('refuses an empty completion with a named error naming the row', async () => {
    // Greedy, with the stop id set to the token greedy decoding emits first: the answer is empty.
    const greedyFirst = (await generate(model, encode('de'), { maxNewTokens: 1 })).ids[0];
    const stopping = new EngineTeacher({ model, producer: producer({ sampling: { maxNewTokens: 4 } }), encode, decode, stopTokenIds: [greedyFirst] });
    await expect(stopping.generate(['de'])).rejects.toBeInstanceOf(TeacherEmptyCompletionError);
    await expect(stopping.generate(['de'])).rejects.toThrow(/row 1 \(“de”\)/);
  });

  it('refuses a prompt that leaves no room to answer, naming it', async () => {
    const teacher = new EngineTeacher({ model, producer: producer(), encode, decode });
    await expect(teacher.generate(['ab', 'a'.repeat(40)])).rejects.toThrow(/Row 2's prompt has 41 tokens/);
  });

  it('scores log p(completion | prompt) as the sum of the model’s own next-token log-softmax', async () => {
    const teacher = new EngineTeacher({ model, producer: producer(), encode, decode });
    const [score] = await teacher.score([{ prompt: 'abc', completion: 'de' }]);
    // Independent reference: full logits of the whole sequence, log-softmax in float64 by hand.
    const ids = encode('abcde');
    const logits = model.logits(Int32Array.from(ids), 1, ids.length, null);
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    let expected = 0;
    for (const t of [4, 5]) {
      const row = Array.from(values.subarray((t - 1) * 12, t * 12));
      const max = Math.max(...row);
      const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
      expected += row[ids[t]] - logSum;
    }
    expect(score).toBeCloseTo(expected, 4);
  });
});
