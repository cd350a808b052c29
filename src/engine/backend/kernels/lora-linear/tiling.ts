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
  /** The tile and workgroup for outputs at most `maxCols` wide (N = the LoRA rank) or `maxRows` tall (M = the rank). */
  narrow?: { name: string; tm: number; tn: number; threads: number; maxCols: number };
  short?: { name: string; tm: number; tn: number; threads: number; maxRows: number };
}

/**
 * The rank-r products of a LoRA step (hs = s·x·Aᵀ, dh = s·dy·B, dB = dyᵀ·hs: N = r; dA = dhᵀ·x: M = r) as 8×8 tiles
 * in workgroups of 16 (narrow) or 8 (short) threads. With 4×8 tiles in workgroups of 64, a [512, 8] output was 2
 * workgroups whose threads each loaded 12 values per 32 multiply-adds; 8×8 loads 16 per 64, and the smaller
 * workgroups keep 4 of them (512 rows) for the CPU threads of a software adapter.
 */
const RANK_TILES: Pick<Tiling, 'narrow' | 'short'> = {
  narrow: { name: 'reg8x8n', tm: 8, tn: 8, threads: 16, maxCols: 8 },
  short: { name: 'reg8x8s', tm: 8, tn: 8, threads: 8, maxRows: 8 },
};

/**
 * 4×8 outputs per thread, and 16×8 for outputs of at least 64×64. On lavapipe the taller tile makes the tiny GPT's
 * 512-row matmuls faster: software adapters gather each lane's loads one by one, and a Q load (distinct per lane)
 * feeds tm FMAs, so 16 rows amortize it 4× better than 4 (step A/B in one process, bench --profile: 8×8 1.19×,
 * 16×8 1.44× the 4×8 step). On narrow outputs (the LoRA rank) a tall tile would leave threads idle. Every register
 * tile sums each output over k in the same order, so the choice never changes a result.
 */
export const REGISTER_TILING: Tiling = {
  name: 'reg4x8',
  kind: 'register',
  tm: 4,
  tn: 8,
  threads: 64,
  large: { name: 'reg16x8', tm: 16, tn: 8, minRows: 64, minCols: 64 },
  ...RANK_TILES,
};
/** 16×16 threads of 4×4 outputs: 64×64 tiles staged through workgroup memory, the classic GPU tiling. */
export const GPU_TILING: Tiling = { name: 'wg64', kind: 'workgroup', tm: 4, tn: 4, threads: 256 };
export const TILINGS: readonly Tiling[] = [REGISTER_TILING, GPU_TILING];

/** The tiling that computes an M×N output under `t`: its large tile when the output is big enough. */
export function tileFor(t: Tiling, M: number, N: number): Tiling {
  const big = t.large;
  if (t.narrow && N <= t.narrow.maxCols && M > N) return { name: t.narrow.name, kind: t.kind, tm: t.narrow.tm, tn: t.narrow.tn, threads: t.narrow.threads };
  if (t.short && M <= t.short.maxRows && N > M) return { name: t.short.name, kind: t.kind, tm: t.short.tm, tn: t.short.tn, threads: t.short.threads };
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
