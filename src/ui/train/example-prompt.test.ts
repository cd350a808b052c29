// Tests: the example prompt offered for a dataset on the Train page.
import { describe, expect, it } from 'vitest';
import { WORLD_CHARS } from '../../engine/world/vocabulary';
import { examplePrompt, PLAIN_TEXT_EXAMPLE, TINY_WORLD_EXAMPLE } from './example-prompt';

const inWorld = (text: string) => [...text].every((c) => WORLD_CHARS.includes(c));

describe('examplePrompt', () => {
  it('Tiny World: skips dataset prompts with characters outside its vocabulary (">" of the example dataset)', () => {
    expect(examplePrompt('tiny-world', [], ['abcd>', 'ba>'])).toBe(TINY_WORLD_EXAMPLE);
    expect(inWorld(TINY_WORLD_EXAMPLE)).toBe(true);
    expect(examplePrompt('tiny-world', [], ['abcd>', 'ROUTE go n from a='])).toBe('ROUTE go n from a=');
  });

  it('char models: the first dataset prompt made of vocabulary characters, else the vocabulary itself', () => {
    const vocab = ['\u0003', '\n', '>', 'a', 'b', 'c'];
    expect(examplePrompt('tiny-gpt2', vocab, ['xyz>', 'abc>'])).toBe('abc>');
    expect(examplePrompt('tiny-gpt2', vocab, [])).toBe('>abc');
    expect(examplePrompt('tiny-gpt2', vocab, ['x'])).not.toContain('x');
  });

  it('Hub/local models: any short one-line dataset prompt, else plain text; never empty, long or multi-line', () => {
    expect(examplePrompt('loaded', [], ['user: hi\nassistant:', 'x'.repeat(200), 'Translate: cat'])).toBe('Translate: cat');
    expect(examplePrompt('loaded', [], ['', '  '])).toBe(PLAIN_TEXT_EXAMPLE);
  });
});
