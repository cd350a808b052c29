// Picks the faster matmul tiling on the running WebGPU adapter by timing both once; the choice is cached per adapter.
import { tf } from '../../tf';
import { pseudoRandom } from '../check-harness';
import { tiledMatmul } from './tiled-matmul';
import { cachedTiling, currentTiling, rememberTiling, setTiling, TILINGS, type Tiling } from './tiling';
import { webgpuBackend } from '../webgpu-backend';

/** Adapter identity for the cache: Chromium's compatibility adapter on lavapipe reports empty strings, so the limits count too. */
function adapterKey(): string {
  const backend = webgpuBackend();
  const info = backend.adapterInfo as unknown as { vendor?: string; architecture?: string; description?: string };
  const limits = backend.device.limits;
  return [info.vendor, info.architecture, info.description, limits.maxStorageBufferBindingSize, limits.maxComputeWorkgroupStorageSize].join('|');
}

/**
 * Fastest ms of a [256, 128] · [128, 256] product (the tiny GPT's width) over `reps` runs after one compile run; small,
 * so startup stays short. The fastest, not the median: on a loaded machine a run that lost the CPU says nothing about
 * the tiling, and picking the GPU tiling on a software adapter by accident costs 3–6× on every matmul.
 */
async function timeTiling(tiling: Tiling, reps: number): Promise<number> {
  setTiling(tiling);
  const [M, K, N] = [256, 128, 256];
  const P = tf.tensor2d(pseudoRandom(M * K, 1), [M, K]);
  const Q = tf.tensor2d(pseudoRandom(K * N, 2), [K, N]);
  const times: number[] = [];
  try {
    for (let i = 0; i <= reps; i++) {
      const t0 = performance.now();
      const C = tiledMatmul({ P, Q }, { M, N, K, pLayout: 'mk', qLayout: 'kn', alpha: 1, hasBias: false });
      await C.data();
      C.dispose();
      if (i > 0) times.push(performance.now() - t0);
    }
  } finally {
    tf.dispose([P, Q]);
  }
  return Math.min(...times);
}

/**
 * Times every tiling on this adapter (≈ a second on a software adapter) and keeps the fastest for all fused kernels.
 * Later calls on the same adapter return the cached choice without measuring.
 */
export async function chooseTiling(reps = 4): Promise<Tiling> {
  if (tf.getBackend() !== 'webgpu') return currentTiling();
  const key = adapterKey();
  const cached = cachedTiling(key);
  if (cached) {
    setTiling(cached);
    return cached;
  }
  let best = TILINGS[0];
  let bestMs = Infinity;
  for (const tiling of TILINGS) {
    const ms = await timeTiling(tiling, reps);
    if (ms < bestMs) [best, bestMs] = [tiling, ms];
  }
  rememberTiling(key, best);
  return best;
}
