// A small generated dataset so a newcomer can train without a file: reverse a short word (real data, seeded).
import { Rng } from '../../src/engine/rng';
import type { DatasetRow } from '../../src/storage/types';

const LETTERS = 'abcdefgh';

/** Rows like prompt "abc>" → completion "cba.": a task a tiny char-level model learns in a few hundred steps. */
export function reversalRows(count: number, seed: number): DatasetRow[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const length = 3 + rng.int(4);
    const word = Array.from({ length }, () => LETTERS[rng.int(LETTERS.length)]).join('');
    return { id: `G${i + 1}`, prompt: `${word}>`, completion: `${[...word].reverse().join('')}.` };
  });
}
