// The suite on the shipped 400k Tiny World base reproduces its PyTorch model card (REV 100%), and refuses prompts beyond its context.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { initBackend } from '../../src/engine/backend/init';
import { readSafetensors } from '../../src/engine/io';
import type { ModelConfig } from '../../src/engine/models/config';
import { loadTokenizer } from '../../src/engine/tokenizers';
import { generateEvalSet } from '../../src/engine/world';
import type { RegressionSuiteSpec } from '../../src/contract';
import { scoreRegressionOnBase, withAfter } from './regression-suite';
import type { RunBase } from './base-model';

const folder = resolve(__dirname, '../../public/models/tiny-world-400k');
const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
const base: RunBase = {
  setup: { config, weights: readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors')))), initSeed: 0, method: 'lora', lora: { r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['c_attn'] } },
  tokenizer,
  context: 64,
  encode: () => {
    throw new Error('not used');
  },
};
const rev = generateEvalSet('REV', 12, 4242).map((e) => ({ prompt: e.prompt, answer: e.completion.replace(/\n$/, '') }));
const suite = (items: { prompt: string; answer: string }[]): RegressionSuiteSpec => ({ id: 's', name: 'keep', createdAt: 0, source: 'test', abilities: [{ name: 'reverse', metric: 'exact_match', items }], builtins: [{ kind: 'held-out-text' }], builtinItems: 10 });

beforeAll(async () => {
  await initBackend('cpu');
});

test('the base reverses every REV item (its model card: 100%); held-out text has a finite perplexity; unchanged against itself', { timeout: 120_000 }, async () => {
  const before = await scoreRegressionOnBase(suite(rev), base, { kind: 'tiny-world' });
  expect(before.abilities.map((a) => a.name)).toEqual(['reverse', 'held-out text']);
  expect(before.abilities[0].items.map((v) => v.numerator)).toEqual(Array(12).fill(1));
  const text = before.abilities[1].items;
  const ppl = Math.exp(text.reduce((s, v) => s + v.numerator, 0) / text.reduce((s, v) => s + v.denominator, 0));
  // A character model that learnt the world: far below the uniform vocabulary's perplexity, above 1.
  expect(ppl).toBeGreaterThan(1);
  expect(ppl).toBeLessThan(10);
  const same = withAfter({ suite: suite(rev), before }, { ...before, step: 4 });
  expect(same.comparison!.abilities.map((a) => a.verdict)).toEqual(['unchanged', 'unchanged']);
});

test('a prompt beyond the 64-character context is refused with the item and the context named', async () => {
  const long = rev.map((r, i) => (i === 2 ? { ...r, prompt: 'x'.repeat(70) + r.prompt } : r));
  await expect(scoreRegressionOnBase(suite(long), base, { kind: 'tiny-world' })).rejects.toThrow(/^Item 3 of “reverse” is \d+ tokens long \(prompt \+ answer \+ stop\), beyond the model's context of 64\.$/);
});

test('built-in checks on a base that is not Tiny World are refused', async () => {
  await expect(scoreRegressionOnBase(suite(rev), base, { kind: 'loaded' })).rejects.toThrow('not a Tiny World model');
});
