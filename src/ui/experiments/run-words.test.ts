// The Run button never says "Run 0 of 2 runs"; the progress line names the run; estimates say what they rest on.
import { describe, expect, it } from 'vitest';
import { estimateBefore, estimateLeft, progressLine, runButtonLabel } from './run-words';

describe('run words', () => {
  it('labels the Run button by what it will do', () => {
    expect(runButtonLabel(2, 2)).toBe('Run all 2');
    expect(runButtonLabel(3, 5)).toBe('Run the 3 missing (2 of 5 stored)');
    expect(runButtonLabel(0, 2)).toBe('All 2 runs stored — showing results');
    expect(runButtonLabel(0, 1)).toBe('The 1 run is stored — showing results');
  });

  it('states the estimate and what it was timed from, or why there is none', () => {
    expect(estimateBefore({ ms: 150_000, evalsTimed: true }, 3, 2)).toBe('Estimated time: about 2 min 30 s for 3 runs on this device, timed from 2 runs of this model here.');
    expect(estimateBefore(null, 3, 0)).toMatch(/^No time estimate yet/);
    expect(estimateBefore(null, 0, 0)).toBe('');
    expect(estimateLeft({ ms: 40_000, evalsTimed: false })).toBe('about 40 s of training (scoring not timed yet) left for the sweep');
  });

  it('names the run in progress as k of n', () => {
    expect(progressLine({ cellsDone: 2, cellCount: 5, cellKey: 'k', step: 12, steps: 300, loss: 0.5321 })).toBe('Run 3 of 5 · step 12/300, loss 0.532');
    expect(progressLine({ cellsDone: 1, cellCount: 5, cellKey: null, step: 0, steps: 0, loss: null })).toBe('Run 2 of 5 · preparing');
  });
});
