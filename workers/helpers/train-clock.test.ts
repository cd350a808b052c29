// TrainClock against hand-computed times: elapsed includes earlier jobs, tokens/s is over the window, the window
// restarts after 5 s, the ETA follows this job's steps.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrainClock } from './train-clock';

let now = 0;
afterEach(() => vi.restoreAllMocks());

function clockAt(start: number, priorElapsedMs: number): TrainClock {
  now = start;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  return new TrainClock(priorElapsedMs);
}

describe('TrainClock', () => {
  it('counts time trained since the job started on top of earlier jobs', () => {
    const clock = clockAt(10_000, 1_500);
    now = 12_000;
    expect(clock.elapsedMs()).toBe(3_500);
  });

  it('reports tokens/s over the window and restarts the window once it spans more than 5 s', () => {
    const clock = clockAt(0, 0);
    now = 1_000;
    clock.startWindow(); // setup before this does not count
    now = 3_000;
    expect(clock.addTokens(400)).toBe(200); // 400 tokens in 2 s
    clock.endStep(); // 2 s: the window stays
    now = 7_000;
    expect(clock.addTokens(800)).toBe(200); // 1,200 in 6 s
    clock.endStep(); // 6 s > 5 s: a fresh window from here
    now = 8_000;
    expect(clock.addTokens(500)).toBe(500); // 500 in 1 s
  });

  it('has no tokens/s before any time has passed', () => {
    const clock = clockAt(0, 0);
    clock.startWindow();
    expect(clock.addTokens(100)).toBeNull();
  });

  it('estimates the time left from the steps this job made', () => {
    const clock = clockAt(0, 0);
    now = 20_000;
    // Resumed at step 10, now at 30 of 100 after 20 s: 1 step/s, 70 left.
    expect(clock.etaSec(30, 10, 100)).toBeCloseTo(70, 10);
    expect(clock.etaSec(10, 10, 100)).toBeNull();
  });
});
