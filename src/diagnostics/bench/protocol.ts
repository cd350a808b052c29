// Messages between the bench page and its worker, and the options the page reads from its URL.
import type { BenchReport } from './report';

export interface BenchConfig {
  /** The Chromium launch recipe (lavapipe, swiftshader, gpu); the first two are CPU-emulated whatever the adapter says. */
  recipe: string;
  gpt2Small: boolean;
  skipBaseline: boolean;
  warmupSteps: number;
  timedSteps: number;
  matmulSizes?: number[];
  /** Profile mode: one engine step's dispatches replayed alone and timed per kernel, instead of the bench. */
  profile?: boolean;
  /** Sweep mode: matmul tilings timed against each other at the step's shapes, instead of the bench. */
  sweep?: boolean;
  /** Only the real-shape entries (real-shapes.ts), by model name, or all with 'all'; null runs the usual bench. */
  realShapes?: string | null;
  /** Only the exposure ranking's paired rounds (issue 15's key), after the matmul peak, instead of the bench. */
  rankOnly?: boolean;
  /** Only the exact-search timing (search-bench.ts), instead of the bench. */
  searchOnly?: boolean;
  /** Only the embedding-throughput entries (issue 18), after the matmul peak. */
  embeddingOnly?: boolean;
}

export type BenchMessage =
  | { type: 'progress'; text: string }
  /** Asks the page for the browser's CPU ms so far (answered with a CpuReply). */
  | { type: 'cpu'; id: number }
  | { type: 'partial'; report: BenchReport }
  | { type: 'done'; report: BenchReport }
  | { type: 'error'; message: string };

/** The page's answer to a 'cpu' message: CPU ms used by the browser's processes so far, or null if unknown. */
export interface CpuReply {
  cpuReply: number;
  ms: number | null;
}

/** `?gpt2small=1&skipBaseline=1&warmup=1&steps=5&sizes=256,512` → config; defaults suit lavapipe. */
export function configFromSearch(search: string): BenchConfig {
  const q = new URLSearchParams(search);
  const int = (key: string, fallback: number) => {
    const v = Number(q.get(key));
    return q.has(key) && Number.isInteger(v) && v >= 0 ? v : fallback;
  };
  const sizes = q.get('sizes')?.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return {
    recipe: q.get('recipe') ?? 'unknown',
    gpt2Small: q.get('gpt2small') === '1',
    skipBaseline: q.get('skipBaseline') === '1',
    warmupSteps: int('warmup', 1),
    timedSteps: Math.max(1, int('steps', 5)),
    matmulSizes: sizes?.length ? sizes : undefined,
    profile: q.get('profile') === '1',
    sweep: q.get('sweep') === '1',
    realShapes: q.get('realShapes'),
    searchOnly: q.get('searchOnly') === '1',
    rankOnly: q.get('rankOnly') === '1',
    embeddingOnly: q.get('embeddingOnly') === '1',
  };
}
