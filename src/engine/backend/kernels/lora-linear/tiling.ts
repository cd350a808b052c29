// Thread tilings of the WGSL matmul kernels, and the per-adapter choice between them (measured once, cached).

/**
 * A thread computes tm × tn outputs (tn a multiple of 4, held as vec4 accumulators); a workgroup has `threads`
 * threads. Software adapters (lavapipe, SwiftShader) run one workgroup per CPU thread with SIMD across invocations,
 * so a small workgroup with a large register tile wins there; real GPUs want many more threads in flight.
 */
export interface Tiling {
  name: string;
  /** 'register': each thread streams its operands from storage; 'workgroup': the workgroup stages k-slices in shared memory. */
  kind: 'register' | 'workgroup';
  tm: number;
  tn: number;
  threads: number;
}

export const REGISTER_TILING: Tiling = { name: 'reg4x8', kind: 'register', tm: 4, tn: 8, threads: 64 };
/** 16×16 threads of 4×4 outputs: 64×64 tiles staged through workgroup memory, the classic GPU tiling. */
export const GPU_TILING: Tiling = { name: 'wg64', kind: 'workgroup', tm: 4, tn: 4, threads: 256 };
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
