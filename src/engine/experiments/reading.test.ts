// The one-sentence readings, checked on hand-made cell results whose means and intervals are computed by hand.
import { describe, expect, it } from 'vitest';
import { cliffPreset, saturationPreset } from './presets';
import { cliffReading, formatScore, saturationReading, tradeoffReading } from './reading';
import type { CellEval, CellSettings, StoredCell } from './types';

let nextId = 0;
function cell(settings: Partial<CellSettings>, seed: number, evals: CellEval[], fixed = saturationPreset().fixed): StoredCell {
  return { cellKey: `k${nextId}`, experimentId: 'x', settings: { ...fixed, ...settings }, seed, evals, losses: [], trainExamples: 0, ms: 0, runId: `run-${nextId++}` };
}
const final = (score: number): CellEval[] => [{ step: 300, scores: { ROUTE: score } }];

describe('saturationReading', () => {
  const spec = saturationPreset();
  it('reports the fall from the clean point to clean + noisy, with the same-size clean control', () => {
    const cells = [
      cell({ trainSize: 50 }, 1, final(0.3)), cell({ trainSize: 50 }, 2, final(0.4)),
      cell({ trainSize: 400 }, 1, final(0.86)), cell({ trainSize: 400 }, 2, final(0.88)),
      cell({ trainSize: 800 }, 1, final(0.87)), cell({ trainSize: 800 }, 2, final(0.87)),
      cell({ trainSize: 400, addedSize: 400 }, 1, final(0.66)), cell({ trainSize: 400, addedSize: 400 }, 2, final(0.7)),
    ];
    // 400 clean: mean 0.87, sd 0.014142, t(1) 12.706 → ± 0.127; added: 0.68 ± 0.254; control 0.87 ± 0.
    expect(saturationReading(spec, cells)).toBe(
      'Adding 400 noisier examples to 400 clean ones lowered held-out exact match on ROUTE from 0.87 ± 0.13 to 0.68 ± 0.25, while 800 clean examples scored 0.87 ± 0.00 (2 seeds).',
    );
  });

  it('says so when the added data did not hurt, and handles one seed and narrow pools', () => {
    const narrow = { ...spec, fixed: { ...spec.fixed, addedKind: 'narrow' as const } };
    const cells = [cell({ trainSize: 400 }, 1, final(0.8)), cell({ trainSize: 400, addedSize: 200, addedKind: 'narrow' }, 1, final(0.81))];
    expect(saturationReading(narrow, cells)).toBe('Adding 200 narrower examples to 400 clean ones left held-out exact match on ROUTE about the same (0.80 vs 0.81) (one seed, so no error bars).');
  });

  it('reports a noisier and a narrower added pool side by side, each against the clean point it was added to', () => {
    const cells = [
      cell({ trainSize: 400 }, 1, final(0.9)), cell({ trainSize: 800 }, 1, final(0.88)),
      cell({ trainSize: 400, addedSize: 400 }, 1, final(0.7)), cell({ trainSize: 400, addedSize: 400, addedKind: 'narrow' }, 1, final(0.75)),
    ];
    expect(saturationReading(spec, cells)).toBe(
      'Adding 400 noisier examples to 400 clean ones lowered held-out exact match on ROUTE from 0.90 to 0.70; adding 400 narrower ones instead lowered it from 0.90 to 0.75, while 800 clean examples scored 0.88 (one seed, so no error bars).',
    );
  });

  it('describes a clean-only curve by its ends and peak', () => {
    const cells = [cell({ trainSize: 50 }, 1, final(0.2)), cell({ trainSize: 200 }, 1, final(0.9)), cell({ trainSize: 400 }, 1, final(0.85))];
    expect(saturationReading({ ...spec, extraCells: [] }, cells)).toBe(
      'Going from 50 to 400 clean examples raised held-out exact match on ROUTE from 0.20 to 0.85, peaking at 0.90 at 200 (one seed, so no error bars).',
    );
  });
});

describe('cliff readings', () => {
  const spec = { ...cliffPreset(), adjacent: ['TICK' as const, 'UP' as const] };
  const run = (rank: number, seed: number, route: [number, number], tick: [number, number], up: [number, number]) =>
    cell({ rank }, seed, [
      { step: 0, scores: { ROUTE: route[0], TICK: tick[0], UP: up[0], 'held-out text': 3 } },
      { step: 200, scores: { ROUTE: route[1], TICK: tick[1], UP: up[1], 'held-out text': 5 } },
    ], spec.fixed);
  const cells = [run(4, 1, [0, 0.9], [1, 0.2], [1, 1]), run(4, 2, [0, 1], [1, 0.4], [1, 0.8]), run(0, 1, [0, 1], [1, 0], [1, 0.5]), run(0, 2, [0, 1], [1, 0], [1, 0.7])];

  it('curves: the target rose while the adjacent mean fell, naming the worst skill', () => {
    // rank 4 (first axis value): ROUTE 0 → 0.95 ± 0.64 (sd 0.0707); TICK 1 → 0.3 ± 1.27; UP 1 → 0.9 ± 1.27; adjacent 1 → 0.6
    expect(cliffReading(spec, cells)).toBe(
      "Over 200 steps of fine-tuning, exact match on ROUTE rose from 0.00 ± 0.00 to 0.95 ± 0.64 while the adjacent skills' mean fell from 1.00 to 0.60 (largest drop: TICK, 1.00 ± 0.00 → 0.30 ± 1.27) (2 seeds).",
    );
  });

  it('trade-off: gain on the target and loss on the rest per rank, full fine-tuning last', () => {
    // r4 gains 0.9, 1.0 → 0.95 ± 0.64; losses (1 − 0.6)=0.4, (1 − 0.6)=0.4 → 0.40 ± 0.00
    // full gains 1, 1 → 1.00 ± 0.00; losses 0.75, 0.65 → 0.70 ± 0.64
    expect(tradeoffReading(spec, cells)).toBe(
      'LoRA r4 gained 0.95 ± 0.64 on ROUTE and lost 0.40 ± 0.00 on the rest; full fine-tuning gained 1.00 ± 0.00 on ROUTE and lost 0.70 ± 0.64 on the rest (2 seeds).',
    );
  });

  it('formats a single seed without an interval', () => {
    expect(formatScore({ mean: 0.823, halfWidth: 0, n: 1 })).toBe('0.82');
  });
});

describe('two axes (rank × replay)', () => {
  const spec = { ...cliffPreset(), adjacent: ['TICK' as const], axes: [{ knob: 'rank' as const, values: [4] }, { knob: 'replay' as const, values: [0, 0.25] }] };
  const run = (replay: number, tick: number) =>
    cell({ rank: 4, replay }, 1, [{ step: 0, scores: { ROUTE: 0, TICK: 1 } }, { step: 100, scores: { ROUTE: 1, TICK: tick } }], spec.fixed);
  const cells = [run(0, 0.2), run(0.25, 0.9)];

  it('never mixes runs of different variants in one curve, and names the variant', async () => {
    const { cliffCurves } = await import('./series');
    expect(cliffCurves(spec, cells).filter((p) => p.series === 'TICK').map((p) => p.mean)).toEqual([1, 0.2]);
    expect(cliffCurves(spec, cells, undefined, 0.25).filter((p) => p.series === 'TICK').map((p) => p.mean)).toEqual([1, 0.9]);
    expect(cliffReading(spec, cells, 0.25)).toBe(
      "Over 100 steps of fine-tuning with replay 0.25, exact match on ROUTE rose from 0.00 to 1.00 while the adjacent skills' mean fell from 1.00 to 0.90 (largest drop: TICK, 1.00 → 0.90) (one seed, so no error bars).",
    );
    expect(tradeoffReading(spec, cells)).toBe(
      'LoRA r4 with replay 0 gained 1.00 on ROUTE and lost 0.80 on the rest; LoRA r4 with replay 0.25 gained 1.00 on ROUTE and lost 0.10 on the rest (one seed, so no error bars).',
    );
  });
});
