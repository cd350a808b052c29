// Per-kernel bench entries for the training kernels (LoRA linear, AdamW): each fused WGSL op against the composite tfjs ops it replaces, on the tiny GPT's shapes.
import { tf, type Tensor } from '../../engine/backend/tf';
import { fusedAdamWStep } from '../../engine/backend/kernels/adamw/adamw-update';
import { pseudoRandom } from '../../engine/backend/kernels/check-harness';
import { halfWeightFrom, type HalfWeight } from '../../engine/backend/kernels/lora-linear/half-weight';
import { setFusedKernels } from '../../engine/backend/kernels/webgpu-backend';
import { loraLinear } from '../../engine/backend/ops';
import { adamwAssignFlat } from '../../engine/train/adamw';
import { dispatchCount } from './dispatch-counter';
import { median } from './measure';

export interface KernelBenchEntry {
  kernel: string;
  shape: string;
  fusedMs: number;
  compositeMs: number;
  fusedDispatches: number;
  compositeDispatches: number;
  speedup: number;
}

/** Median wall time of `reps` runs of `run`, each awaited to GPU completion through a one-float readback. */
async function timeIt(run: () => Tensor, reps: number): Promise<{ ms: number; dispatches: number }> {
  const once = async () => {
    const d0 = dispatchCount();
    const t0 = performance.now();
    const out = run();
    await out.data();
    const ms = performance.now() - t0;
    out.dispose();
    return { ms, dispatches: dispatchCount() - d0 };
  };
  await once(); // compile
  const runs = [];
  for (let i = 0; i < reps; i++) runs.push(await once());
  return { ms: median(runs.map((r) => r.ms)), dispatches: runs[0].dispatches };
}

async function compare(kernel: string, shape: string, fused: () => Tensor, composite: () => Tensor, reps: number): Promise<KernelBenchEntry> {
  const f = await timeIt(fused, reps);
  setFusedKernels(false);
  let c;
  try {
    c = await timeIt(composite, reps);
  } finally {
    setFusedKernels(true);
  }
  return { kernel, shape, fusedMs: f.ms, compositeMs: c.ms, fusedDispatches: f.dispatches, compositeDispatches: c.dispatches, speedup: c.ms / f.ms };
}

/** The LoRA linear of the tiny GPT's c_attn (x [512, 128] → [512, 384], r 8): forward plus dx, dA, dB. */
async function loraLinearEntry(reps: number): Promise<KernelBenchEntry> {
  const [n, nIn, nOut, r] = [512, 128, 384, 8];
  const x = tf.tensor2d(pseudoRandom(n * nIn, 1), [n, nIn]);
  const W = tf.tensor2d(pseudoRandom(nIn * nOut, 2), [nIn, nOut]);
  const bias = tf.tensor1d(pseudoRandom(nOut, 3));
  const A = tf.tensor2d(pseudoRandom(r * nIn, 4), [r, nIn]);
  const B = tf.tensor2d(pseudoRandom(nOut * r, 5), [nOut, r]);
  // Through ops.loraLinear, so the switch picks the fused kernel or the composite ops.
  const step = () =>
    tf.tidy(() => {
      const grads = tf.grads((xs: Tensor, As: Tensor, Bs: Tensor) =>
        tf.sum(loraLinear(xs, W, bias, { A: As, B: Bs, scale: 2, dropoutRate: 0 }, 'in_out')),
      )([x, A, B]);
      return tf.addN(grads.map((g) => tf.sum(g)));
    });
  try {
    return await compare('lora-linear fwd+bwd', `x ${n}×${nIn} → ${nOut}, r ${r}`, step, step, reps);
  } finally {
    tf.dispose([x, W, bias, A, B]);
  }
}

/** AdamW over 32 parameter tensors of 2,048 floats (the tiny GPT's LoRA: 65,536 parameters). */
async function adamwEntry(reps: number): Promise<KernelBenchEntry> {
  const count = 32;
  const size = 2048;
  const params: tf.Variable[] = Array.from({ length: count }, (_, i) => tf.tidy(() => tf.variable(tf.tensor2d(pseudoRandom(size, i), [8, size / 8]))));
  const flatGrad = tf.tensor1d(pseudoRandom(count * size, 99));
  let moments = { m: tf.zeros([count * size]), v: tf.zeros([count * size]) };
  const hp = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };
  let t = 0;
  const fused = () => {
    const summary = tf.tidy(() => tf.stack([tf.scalar(1), tf.sum(tf.square(flatGrad)), tf.scalar(0)]));
    fusedAdamWStep(params, flatGrad, moments, summary, { ...hp, maxGradNorm: 1, t: ++t }); // in place
    summary.dispose();
    return tf.sum(params[0]);
  };
  // The composite path of the trainer: concat params, tensor AdamW, split back.
  const composite = () => {
    moments = adamwAssignFlat(params, flatGrad, moments, hp, ++t);
    return tf.sum(params[0]);
  };
  try {
    return await compare('adamw update', `${count} tensors × ${size}`, fused, composite, reps);
  } finally {
    tf.dispose([...params, flatGrad, moments.m, moments.v]);
  }
}

/** The fused LoRA linear with its frozen W read as f16 pairs against the same kernel reading f32 W. */
export interface HalfLinearBenchEntry {
  kernel: string;
  shape: string;
  f32Ms: number;
  f16Ms: number;
  /** Bytes of W each pass reads: f32 and f16. */
  weightBytes: [number, number];
  speedup: number;
}

/** x [n, in] → [n, out] with LoRA r 8, forward plus dx, dA, dB (W frozen: no dW), W as f32 and as f16, alternating. */
async function halfLinearEntry(n: number, nIn: number, nOut: number, reps: number): Promise<HalfLinearBenchEntry> {
  const r = 8;
  const wData = pseudoRandom(nIn * nOut, 2);
  const x = tf.tensor2d(pseudoRandom(n * nIn, 1), [n, nIn]);
  const W = tf.tensor2d(wData, [nIn, nOut]);
  const Wh = halfWeightFrom(wData, [nIn, nOut]);
  const bias = tf.tensor1d(pseudoRandom(nOut, 3));
  const A = tf.tensor2d(pseudoRandom(r * nIn, 4), [r, nIn]);
  const B = tf.tensor2d(pseudoRandom(nOut * r, 5), [nOut, r]);
  const step = (w: tf.Tensor | HalfWeight) => () =>
    tf.tidy(() => {
      const grads = tf.grads((xs: Tensor, As: Tensor, Bs: Tensor) => tf.sum(loraLinear(xs, w, bias, { A: As, B: Bs, scale: 2, dropoutRate: 0 }, 'in_out')))([x, A, B]);
      return tf.addN(grads.map((g) => tf.sum(g)));
    });
  try {
    await timeIt(step(W), 1);
    await timeIt(step(Wh), 1);
    // Alternate single timed calls, in turns of which goes first, so both see the same load.
    const f32: number[] = [];
    const f16: number[] = [];
    for (let i = 0; i < reps; i++) {
      const pair = [async () => f32.push((await timeIt(step(W), 1)).ms), async () => f16.push((await timeIt(step(Wh), 1)).ms)];
      if (i % 2) pair.reverse();
      for (const run of pair) await run();
    }
    const [a, b] = [median(f32), median(f16)];
    return { kernel: 'lora-linear fwd+bwd, f16 W vs f32 W', shape: `x ${n}×${nIn} → ${nOut}, r ${r}`, f32Ms: a, f16Ms: b, weightBytes: [4 * nIn * nOut, 2 * nIn * nOut], speedup: a / b };
  } finally {
    tf.dispose([x, W, Wh.packed, bias, A, B]);
  }
}

/**
 * The f16-W entries: the tiny GPT's c_attn and c_fc (training rows and one decode row), and GPT-2-small's c_fc
 * (a 9.4 MB f32 weight, beyond the CPU caches a software adapter runs in).
 */
export async function benchHalfLinear(log: (line: string) => void, reps = 9): Promise<HalfLinearBenchEntry[]> {
  const entries: HalfLinearBenchEntry[] = [];
  for (const [n, nIn, nOut, times] of [
    [512, 128, 384, reps],
    [512, 128, 512, reps],
    [1, 128, 384, 3 * reps],
    [256, 768, 3072, reps],
  ]) {
    const e = await halfLinearEntry(n, nIn, nOut, times);
    log(`kernel ${e.kernel} (${e.shape}): f32 W ${e.f32Ms.toFixed(1)} ms, f16 W ${e.f16Ms.toFixed(1)} ms (${e.speedup.toFixed(2)}×)`);
    entries.push(e);
  }
  return entries;
}

export async function benchTrainKernels(log: (line: string) => void, reps = 5): Promise<KernelBenchEntry[]> {
  const entries: KernelBenchEntry[] = [];
  for (const entry of [loraLinearEntry, adamwEntry]) {
    const e = await entry(reps);
    log(`kernel ${e.kernel} (${e.shape}): fused ${e.fusedMs.toFixed(1)} ms / ${e.fusedDispatches} dispatches, composite ${e.compositeMs.toFixed(1)} ms / ${e.compositeDispatches} dispatches (${e.speedup.toFixed(2)}×)`);
    entries.push(e);
  }
  return entries;
}
