// The control canary: same template, a secret no inserted canary has, and (for a character vocabulary) only characters the model knows.
import { describe, expect, it } from 'vitest';
import { buildCanaries } from './canary-insert';
import { controlCanary } from './control-canary';

describe('control canary', () => {
  const { canaries } = buildCanaries([{ template: 'my pin is {ddd}', repetitions: 8, seed: 5 }], 1);
  const canary = canaries[0];

  it('draws another secret of the same template', () => {
    const control = controlCanary(canary, canaries)!;
    expect(control.template).toBe(canary.template);
    expect(control.candidates).toBe(1000);
    expect(control.text).not.toBe(canary.text);
    expect(control.text).toMatch(/^my pin is \d{3}$/);
  });

  it('with a character vocabulary, uses only characters the model has', () => {
    const vocab = [...new Set(canary.text)];
    const control = controlCanary(canary, canaries, vocab)!;
    expect(control.text).not.toBe(canary.text);
    for (const ch of control.text) expect(vocab).toContain(ch);
  });

  it('gives up (null) when no other secret fits the vocabulary', () => {
    const one = buildCanaries([{ template: 'code {w:red|blue}', repetitions: 1, seed: 1 }], 1).canaries;
    const vocab = [...new Set(one[0].text)];
    expect(controlCanary(one[0], one, vocab)).toBeNull();
  });
});
