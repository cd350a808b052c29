// Thread tilings of the WGSL matmul kernels, and the per-adapter choice between them (measured once, cached).

/**
 * A thread computes tm × tn outputs (tn a multiple of 4, held as vec4 accumulators); a workgroup has `threads`
 * threads. Software adapters (lavapipe, SwiftShader) run one workgroup per CPU thread with SIMD across invocations,
 * so a small workgroup with a large register tile wins there; real GPUs want many more threads in flight.
 */
export interface Tiling {
  name: string;
  tm: number;
  tn: number;
  threads: number;
}

export const REGISTER_TILING: Tiling = { name: 'reg4x8', tm: 4, tn: 8, threads: 64 };
export const GPU_TILING: Tiling = { name: 'reg4x4w256', tm: 4, tn: 4, threads: 256 };
export const TILINGS: readonly Tiling[] = [REGISTER_TILING, GPU_TILING];

let chosen: Tiling = REGISTER_TILING;
const choiceByAdapter = new Map<string, Tiling>();

/** The tiling kernels use now. */
export function currentTiling(): Tiling {
  return chosen;
}

/** Forces a tiling (tests run every kernel under each one). */
export function setTiling(tiling: Tiling): void {
  chosen = tiling;
}

/** A tiling already measured for this adapter, if any. */
export function cachedTiling(adapterKey: string): Tiling | undefined {
  return choiceByAdapter.get(adapterKey);
}

export function rememberTiling(adapterKey: string, tiling: Tiling): void {
  choiceByAdapter.set(adapterKey, tiling);
  chosen = tiling;
}
