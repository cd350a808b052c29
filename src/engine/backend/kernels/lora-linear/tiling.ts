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
  /** Threads along x (output columns) when set; else as many as the output's columns need, up to 16. */
  wgx?: number;
  /** A larger register tile for outputs of at least minRows × minCols (see tileFor). */
  large?: { name: string; tm: number; tn: number; minRows: number; minCols: number };
}

/**
 * 4×8 outputs per thread, and 16×8 for outputs of at least 64×64. On lavapipe the taller tile makes the tiny GPT's
 * 512-row matmuls faster: software adapters gather each lane's loads one by one, and a Q load (distinct per lane)
 * feeds tm FMAs, so 16 rows amortize it 4× better than 4 (step A/B in one process, bench --profile: 8×8 1.19×,
 * 16×8 1.44× the 4×8 step). On narrow outputs (the LoRA rank) a tall tile would leave threads idle. Every register
 * tile sums each output over k in the same order, so the choice never changes a result.
 */
export const REGISTER_TILING: Tiling = { name: 'reg4x8', kind: 'register', tm: 4, tn: 8, threads: 64, large: { name: 'reg16x8', tm: 16, tn: 8, minRows: 64, minCols: 64 } };
/** 16×16 threads of 4×4 outputs: 64×64 tiles staged through workgroup memory, the classic GPU tiling. */
export const GPU_TILING: Tiling = { name: 'wg64', kind: 'workgroup', tm: 4, tn: 4, threads: 256 };
export const TILINGS: readonly Tiling[] = [REGISTER_TILING, GPU_TILING];

/** The tiling that computes an M×N output under `t`: its large tile when the output is big enough. */
export function tileFor(t: Tiling, M: number, N: number): Tiling {
  const big = t.large;
  if (!big || M < big.minRows || N < big.minCols) return t;
  return { name: big.name, kind: t.kind, tm: big.tm, tn: big.tn, threads: t.threads, ...(t.wgx ? { wgx: t.wgx } : {}) };
}

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
