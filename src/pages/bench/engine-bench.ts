// Measures the engine's LoRA train step and KV-cache decode on the bench shapes, once src/engine/index.ts exists.
import type { StepMeasurement } from './report';
import type { BenchShape } from './shapes';
import type { RunOptions } from './baseline-bench';

/** Empty until the engine lands on main; Vite resolves the glob at build time, so the bench builds either way. */
const engineModule = import.meta.glob('../../engine/index.ts');

export type EngineOutcome = { measured: StepMeasurement } | { measured: null; note: string };

export async function measureEngine(shape: BenchShape, _opts: RunOptions): Promise<EngineOutcome> {
  const load = engineModule['../../engine/index.ts'];
  if (!load) return { measured: null, note: `engine not measured: src/engine/index.ts is not on this branch yet (${shape.model})` };
  return { measured: null, note: 'engine found but the bench does not drive its API yet' };
}
