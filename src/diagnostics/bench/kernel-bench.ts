// Per-kernel bench entries: each fused WGSL kernel (forward + backward) against the stock tfjs ops it replaces, same device.
import { gelu, layerNorm, packedCausalAttention, causalAttention, softmaxCrossEntropy, attentionBias } from '../../engine/backend/ops';
import { setFusedKernels } from '../../engine/backend/kernels/webgpu-backend';
import { tf, type Tensor } from '../../engine/backend/tf';
import { dispatchCount } from './dispatch-counter';
import { median } from './measure';
import type { BenchShape } from './shapes';

export interface KernelBenchResult {
  kernel: string;
  /** What one call computes, e.g. "forward + backward, qkv [512, 384]". */
  work: string;
  fusedMs: number;
  stockMs: number;
  fusedDispatches: number;
  stockDispatches: number;
  /** stockMs / fusedMs. */
  speedup: number;
}

interface KernelCase {
  kernel: string;
  work: string;
  /** One call; returns the tensors to read back (which waits for the GPU). */
  run(): Tensor[];
  dispose(): void;
}

function rand(shape: number[], seed: number, scale = 1): Tensor {
  return tf.randomUniform(shape, -scale, scale, 'float32', seed);
}

/** Forward + backward of f at x (gradient of Σ f(x)·dy), as tensors. */
function forwardBackward(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], dy: Tensor): Tensor[] {
  return tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((...args: Tensor[]) => tf.sum(tf.mul(f(...args), dy)))(xs);
    return [value, ...grads];
  });
}

function cases(shape: BenchShape): KernelCase[] {
  const { batch: B, seq: T, d: C, heads: H, vocab: V } = shape;
  const D = C / H;
  const N = B * T;
  const qkv = rand([N, 3 * C], 1);
  const dyAttn = rand([N, C], 2);
  const bias = attentionBias(T, T, 0, null);
  const logits = rand([N, V], 3, 4);
  const targets = tf.tensor1d(Int32Array.from({ length: N }, (_, i) => (i * 7919) % V), 'int32');
  const weights = tf.ones([N]);
  const one = tf.scalar(1);
  const x = rand([N, C], 4, 2);
  const gamma = rand([C], 5);
  const beta = rand([C], 6);
  const dyNorm = rand([N, C], 7);
  const h = rand([N, 4 * C], 8, 3);
  const dyH = rand([N, 4 * C], 9);
  const q1 = rand([1, H, 1, D], 10);
  const cacheK = rand([1, H, T, D], 11);
  const cacheV = rand([1, H, T, D], 12);
  const decodeBias = attentionBias(1, T, T - 1, null);
  const all = [qkv, dyAttn, bias, logits, targets, weights, one, x, gamma, beta, dyNorm, h, dyH, q1, cacheK, cacheV, decodeBias];
  const none = () => {};
  const list: KernelCase[] = [
    {
      kernel: 'causal attention (packed qkv)',
      work: `forward + backward, qkv [${N}, ${3 * C}], ${H} heads × ${D}`,
      run: () => forwardBackward((a) => packedCausalAttention(a, B, T, H, D, { bias, pastLength: 0, keyMask: null }), [qkv], dyAttn),
      dispose: none,
    },
    {
      kernel: 'attention decode (KV cache)',
      work: `forward, 1 query × ${T} cached keys, ${H} heads × ${D}`,
      run: () => [causalAttention(q1, cacheK, cacheV, { bias: decodeBias, pastLength: T - 1, keyMask: null })],
      dispose: none,
    },
    {
      kernel: 'softmax cross-entropy',
      work: `loss + dlogits, logits [${N}, ${V}]`,
      run: () => forwardBackward((a) => softmaxCrossEntropy(a, targets, weights, N), [logits], one),
      dispose: none,
    },
    {
      kernel: 'LayerNorm',
      work: `forward + dx, dgamma, dbeta, x [${N}, ${C}]`,
      run: () => forwardBackward((a, g, b) => layerNorm(a, g, b, 1e-5), [x, gamma, beta], dyNorm),
      dispose: none,
    },
    {
      kernel: 'GELU',
      work: `forward + backward, x [${N}, ${4 * C}]`,
      run: () => forwardBackward((a) => gelu(a), [h], dyH),
      dispose: none,
    },
  ];
  list[list.length - 1].dispose = () => tf.dispose(all);
  return list;
}

async function timeSide(c: KernelCase, fused: boolean, reps: number): Promise<{ ms: number; dispatches: number }> {
  setFusedKernels(fused);
  try {
    // Reading the last output waits for everything queued before it: one readback per call on both sides.
    const readAll = async (ts: Tensor[]) => {
      await ts[ts.length - 1].data();
      tf.dispose(ts);
    };
    await readAll(c.run()); // compile
    const times: number[] = [];
    let dispatches = 0;
    for (let i = 0; i < reps; i++) {
      const d0 = dispatchCount();
      const t0 = performance.now();
      await readAll(c.run());
      times.push(performance.now() - t0);
      dispatches = dispatchCount() - d0;
    }
    return { ms: median(times), dispatches };
  } finally {
    setFusedKernels(true);
  }
}

/** Times every case fused and stock (alternating, so both see the same machine load). */
export async function benchKernels(shape: BenchShape, log: (line: string) => void, reps = 5): Promise<KernelBenchResult[]> {
  const out: KernelBenchResult[] = [];
  const list = cases(shape);
  try {
    for (const c of list) {
      const stock = await timeSide(c, false, reps);
      const fused = await timeSide(c, true, reps);
      const r: KernelBenchResult = {
        kernel: c.kernel,
        work: c.work,
        fusedMs: Number(fused.ms.toFixed(2)),
        stockMs: Number(stock.ms.toFixed(2)),
        fusedDispatches: fused.dispatches,
        stockDispatches: stock.dispatches,
        speedup: Number((stock.ms / fused.ms).toFixed(2)),
      };
      log(`kernel ${r.kernel}: fused ${r.fusedMs} ms (${r.fusedDispatches} dispatches) vs stock ${r.stockMs} ms (${r.stockDispatches}), ${r.speedup}×`);
      out.push(r);
    }
  } finally {
    for (const c of list) c.dispose();
  }
  return out;
}
