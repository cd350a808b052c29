// Near-duplicate detection against hand-computed Jaccard similarities of word-bigram shingle sets.
import { describe, expect, it } from 'vitest';
import { findNearDuplicates, jaccard, NearDuplicateIndex, shingleSet } from './near-duplicates';
import type { DatasetRecord } from './record';

const text = (line: number, t: string): DatasetRecord => ({ kind: 'text', line, text: t });
const words = 'the quick brown fox jumps over a lazy sleeping dog'; // ten distinct words, nine bigrams

describe('near-duplicates', () => {
  it('computes Jaccard of word bigrams by hand', () => {
    const a = shingleSet([words]);
    expect(a.length).toBe(9);
    // Last word changed: 8 of 9 bigrams shared, union 10 → 8/10 = 0.8.
    expect(jaccard(a, shingleSet([words.replace('dog', 'cat')]))).toBeCloseTo(8 / 10, 15);
    // A middle word changed: two bigrams lost, so 7 shared, union 9 + 2 = 11 → 7/11 ≈ 0.636.
    expect(jaccard(a, shingleSet([words.replace('jumps', 'leaps')]))).toBeCloseTo(7 / 11, 15);
    // Case and whitespace do not matter.
    expect(jaccard(a, shingleSet(['  The QUICK brown fox jumps over a lazy sleeping dog ']))).toBe(1);
  });

  it('flags a one-word change at 0.8 only when its Jaccard really is ≥ 0.8; an unrelated row is not flagged', () => {
    const rows = [
      text(1, words),
      text(2, words.replace('dog', 'cat')), // 0.8 with line 1
      text(3, words.replace('jumps', 'leaps')), // 7/11 with line 1; with line 2: 6 shared of 12 → 0.5
      text(4, 'an entirely different sentence about gradient descent and learning rates here'),
    ];
    const report = findNearDuplicates(rows);
    expect(report.groups).toEqual([{ lines: [1, 2] }]);
    expect(report.count).toBe(1);
    expect(report.pairs).toEqual([{ a: 1, b: 2, similarity: 0.8 }]);
    expect(report.scannedRows).toBe(4);
    // At 0.6, line 3 joins line 1's group (7/11 ≥ 0.6) but its pair with line 2 (0.5) is not reported.
    const loose = findNearDuplicates(rows, 0.6);
    expect(loose.groups).toEqual([{ lines: [1, 2, 3] }]);
    expect(loose.count).toBe(2);
    expect(loose.pairs.map((p) => [p.a, p.b])).toEqual([[1, 2], [1, 3]]);
    expect(loose.pairs[1].similarity).toBeCloseTo(7 / 11, 15);
  });

  it('does not count exact duplicates (after whitespace normalisation) as near-duplicates', () => {
    const report = findNearDuplicates([text(1, words), text(2, ` ${words}  `), text(3, words)]);
    expect(report.count).toBe(0);
    expect(report.groups).toEqual([]);
    // An exact copy of a near-duplicate does not count twice: lines 1 and 3 are one near-duplicate group.
    const mixed = findNearDuplicates([text(1, words), text(2, words), text(3, words.replace('dog', 'cat'))]);
    expect(mixed.groups).toEqual([{ lines: [1, 3] }]);
    expect(mixed.count).toBe(1);
  });

  it('compares prompt and completion fields apart (a word moved across fields is a different shingle)', () => {
    const pc = (line: number, prompt: string, completion: string): DatasetRecord => ({ kind: 'prompt-completion', line, prompt, completion });
    // {"a b"@0, "c d"@1} vs {"a b"@0, "b c"@0, "c d"@0}: only "a b"@0 shared, union 4 → 1/4.
    expect(jaccard(shingleSet(['a b', 'c d']), shingleSet(['a b c d']))).toBe(1 / 4);
    const report = findNearDuplicates([pc(1, words, 'yes it does'), pc(2, words, 'yes it did')]);
    // Bigrams: 9 prompt + 2 completion each; shared 9 + 1 = 10, union 12 → 0.833.
    expect(report.pairs).toEqual([{ a: 1, b: 2, similarity: 10 / 12 }]);
  });

  it('is deterministic and handles 50k rows in seconds', () => {
    let state = 12345;
    const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const vocab = Array.from({ length: 5000 }, (_, i) => `w${i}`);
    const rows: DatasetRecord[] = [];
    for (let i = 0; i < 50_000; i++) rows.push(text(i + 1, Array.from({ length: 30 }, () => vocab[Math.floor(rand() * vocab.length)]).join(' ')));
    // 100 planted near-duplicates: one word of 30 changed at the end (28 of 29 bigrams shared, union 30 → 0.933).
    for (let k = 0; k < 100; k++) {
      const source = rows[k * 400].kind === 'text' ? (rows[k * 400] as { text: string }).text : '';
      rows.push(text(50_001 + k, source.replace(/\S+$/, 'planted')));
    }
    const start = performance.now();
    const report = findNearDuplicates(rows);
    const seconds = (performance.now() - start) / 1000;
    expect(report.count).toBe(100);
    expect(report.groups.every((g) => g.lines.length === 2 && g.lines[1] > 50_000)).toBe(true);
    expect(findNearDuplicates(rows)).toEqual(report);
    expect(seconds).toBeLessThan(20);
    console.info(`near-duplicates: 50,100 rows in ${seconds.toFixed(1)} s`);
  }, 60_000);
});

describe('near-duplicates at scale', () => {
  it('a file of many rows from one template stays linear: 20,000 rows in one LSH bucket finish in seconds, grouped through chains', () => {
    const index = new NearDuplicateIndex();
    // Any two rows share 9 of their 10 word bigrams: Jaccard 9/11 ≈ 0.82, over the 0.8 threshold.
    for (let line = 1; line <= 20_000; line++) index.add(line, [`please refund my order today because the parcel arrived broken ${line}`], false);
    const started = performance.now();
    const report = index.finish();
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(report.count).toBe(19_999);
    expect(report.pairs).toHaveLength(20);
  });
});
