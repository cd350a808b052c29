// The control canary: same template, a secret no inserted canary has, and (for a character vocabulary) only characters the model knows.
import { describe, expect, it } from 'vitest';
import { buildCanaries } from './canary-insert';
import { controlCanaries, controlCanary, controlInterval, ERASURE_CONTROLS, shiftInterval, versusInterval, withinInterval } from './control-canary';

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

describe('control canaries and their interval', () => {
  const { canaries } = buildCanaries([{ template: 'my pin is {ddd}', repetitions: 8, seed: 5 }], 1);

  it('draws distinct controls, none the canary, the first being controlCanary', () => {
    const controls = controlCanaries(canaries[0], canaries, null, 10);
    expect(controls).toHaveLength(10);
    expect(new Set(controls.map((c) => c.text)).size).toBe(10);
    expect(controls.map((c) => c.text)).not.toContain(canaries[0].text);
    expect(controls[0]).toEqual(controlCanary(canaries[0], canaries));
  });

  it('stops at what the vocabulary allows', () => {
    const one = buildCanaries([{ template: 'code {w:red|blue|green}', repetitions: 1, seed: 1 }], 1).canaries;
    expect(controlCanaries(one[0], one, null, 10)).toHaveLength(2);
  });

  it('interval: type-7 quantiles computed by hand', () => {
    // 11 values 0..10: h = 10·0.025 = 0.25 → 0.25; h = 9.75 → 9.75.
    const iv = controlInterval([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0])!;
    expect(iv.low).toBeCloseTo(0.25, 12);
    expect(iv.high).toBeCloseTo(9.75, 12);
    expect(iv.controls).toBe(11);
    // Two values 1, 3: h = 0.025 → 1.05; h = 0.975 → 2.95.
    const two = controlInterval([3, 1])!;
    expect([two.low, two.high]).toEqual([1.05, 2.95].map((x) => expect.closeTo(x, 12)));
    expect(controlInterval([4])).toEqual({ low: 4, high: 4, controls: 1 });
    expect(controlInterval([])).toBeNull();
    expect(withinInterval(5, iv)).toBe(true);
    expect(withinInterval(0.1, iv)).toBe(false); // below: over-forgotten
    expect(withinInterval(9.9, iv)).toBe(false); // above: still exposed
  });
});

describe('the comparisons an erasure report makes', () => {
  it('enough controls for a prediction interval of one more draw', () => {
    // With n controls a fresh one falls outside their 2.5–97.5% quantiles about 2/(n+1) of the time (n = 10: 18%).
    expect(ERASURE_CONTROLS).toBeGreaterThanOrEqual(40);
    const { canaries } = buildCanaries([{ template: 'my pin is {ddd}', repetitions: 8, seed: 5 }], 1);
    expect(controlCanaries(canaries[0], canaries, null, ERASURE_CONTROLS)).toHaveLength(ERASURE_CONTROLS);
  });

  it('versusInterval: above, below, within (the ends count as within)', () => {
    const iv = { low: 1, high: 3, controls: 50 };
    expect(versusInterval(3.01, iv)).toBe('above');
    expect(versusInterval(0.99, iv)).toBe('below');
    expect(versusInterval(1, iv)).toBe('within');
    expect(versusInterval(3, iv)).toBe('within');
  });

  it('shiftInterval: the quantiles of each control minus itself on the reference, by hand', () => {
    // Shifts 0.5, −1, 2, 0, 1.5 → sorted −1, 0, 0.5, 1.5, 2; type 7: h = 4·0.025 = 0.1 → −1 + 0.1·1 = −0.9; h = 3.9 → 1.5 + 0.9·0.5 = 1.95.
    const iv = shiftInterval([1.5, 2, 5, 3, 4.5], [1, 3, 3, 3, 3])!;
    expect(iv.low).toBeCloseTo(-0.9, 12);
    expect(iv.high).toBeCloseTo(1.95, 12);
    expect(iv.controls).toBe(5);
    // A secret with a high prior on both models (5.19 → 4.54 bits) has a shift of −0.65: within, though 4.54 is above every control.
    expect(versusInterval(4.54 - 5.19, iv)).toBe('within');
    expect(versusInterval(4.54, controlInterval([1.5, 2, 5, 3, 4.5].map((x) => x - 2))!)).toBe('above');
    expect(shiftInterval([1, 2], [1])).toBeNull();
    expect(shiftInterval([], [])).toBeNull();
  });
});
