// The job queue runs one job at a time in order, and stop() reaches the right job's signal with its reason.
import { describe, expect, it } from 'vitest';
import { JobQueue, stopReason } from './job-queue';
import { JobCancelledError } from '../src/engine/errors';

describe('JobQueue', () => {
  it('runs jobs one at a time, in the order they were queued', async () => {
    const queue = new JobQueue();
    const events: string[] = [];
    const job = (name: string, ms: number) =>
      queue.run(name, async () => {
        events.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${name}`);
        return name;
      });
    const results = await Promise.all([job('a', 30), job('b', 1), job('c', 10)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('a failing job does not block the next one', async () => {
    const queue = new JobQueue();
    const failing = queue.run('x', async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(queue.run('y', async () => 42)).resolves.toBe(42);
  });

  it('stop(id, reason) aborts that job with the reason; a queued job stopped before start never runs', async () => {
    const queue = new JobQueue();
    let seen: string | null = null;
    const running = queue.run('train', async (signal) => {
      while (!signal.aborted) await new Promise((r) => setTimeout(r, 5));
      seen = stopReason(signal);
      return 'stopped';
    });
    let ranQueued = false;
    const queued = queue.run('later', async () => {
      ranQueued = true;
    });
    await new Promise((r) => setTimeout(r, 0)); // the first job starts on the next microtask turn
    expect(queue.pending()).toEqual({ running: 'train', queued: ['later'] });
    expect(queue.stop('later', 'cancel')).toBe(true);
    expect(queue.stop('train', 'pause')).toBe(true);
    await expect(running).resolves.toBe('stopped');
    expect(seen).toBe('pause');
    await expect(queued).rejects.toBeInstanceOf(JobCancelledError);
    expect(ranQueued).toBe(false);
    expect(queue.pending()).toEqual({ running: null, queued: [] });
    expect(queue.stop('train', 'cancel')).toBe(false);
  });
});
