// A small generated dataset so a newcomer can train without a file: reverse a short word (real data, seeded).
import type { PromptCompletionRecord } from '../../src/engine/data/record';
import { Rng } from '../../src/engine/rng';

const LETTERS = 'abcdefgh';

/** Records like prompt "abc>" → completion "cba.", lines 1…count: a task a tiny char-level model learns in a few hundred steps. */
export function reversalRecords(count: number, seed: number): PromptCompletionRecord[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const length = 3 + rng.int(4);
    const word = Array.from({ length }, () => LETTERS[rng.int(LETTERS.length)]).join('');
    return { kind: 'prompt-completion', line: i + 1, prompt: `${word}>`, completion: `${[...word].reverse().join('')}.` };
  });
}
