// AdamW on WebGPU in place: one kernel updates both moments and every trainable tensor, as many tensors per dispatch as
// the device's storage bindings allow (12 at the WebGPU default of 16); clipping and the non-finite guard read the
// step's [loss, ‖g‖², …] summary on the GPU, so no readback sits mid-step.
import { tf, type Tensor } from '../../tf';
import { maxWorkgroupsPerDimension, ownsBuffer, rawDispatch, runRawPass, storageBindingLimit, type RawBinding } from './inplace-program';
import { runProgram } from '../program';
import { webgpuBackend, type WebGPUBackend } from '../webgpu-backend';

const WORKGROUP = 64;
/** Bindings besides the parameters: flat gradient, m, v, summary. */
const SHARED_BINDINGS = 4;

export interface AdamWStepHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Clip the global gradient norm to this; 0 turns clipping off. */
  maxGradNorm: number;
  /** 1-based step, for bias correction. */
  t: number;
}

/**
 * WGSL for k parameters. Invocation q updates element q of every parameter j that has one, in turn: each parameter is
 * read and written through its own binding in straight-line code, so no invocation selects a binding at run time
 * (software adapters run every arm of a divergent switch for every lane, and gather each load lane by lane); only a
 * parameter's tail (q ≥ size_j) is masked. Uniform fields: the hyperparameters, then per parameter size_j and flat_j
 * (its offset in g, m, v). Each element's arithmetic is the same as one invocation per element.
 */
function adamwCode(k: number): string {
  const js = Array.from({ length: k }, (_, j) => j);
  const params = js.map((j) => `@group(0) @binding(${SHARED_BINDINGS + j}) var<storage, read_write> p${j}: array<f32>;`);
  const fields = js.map((j) => `size${j}: i32, flat${j}: i32,`).join(' ');
  const updates = js.map((j) => `  if (q < u.size${j}) { p${j}[q] = update(p${j}[q], u.flat${j} + q, clip); }`);
  return /* wgsl */ `
struct Hyper { decay: f32, stepSize: f32, sqrtBias2: f32, eps: f32, beta1: f32, beta2: f32, maxNorm: f32, rowThreads: i32, ${fields} }
@group(0) @binding(0) var<storage, read> g: array<f32>;
@group(0) @binding(1) var<storage, read_write> m: array<f32>;
@group(0) @binding(2) var<storage, read_write> v: array<f32>;
@group(0) @binding(3) var<storage, read> summary: array<f32>;
${params.join('\n')}
@group(0) @binding(${SHARED_BINDINGS + k}) var<uniform> u: Hyper;

fn finiteF(x: f32) -> bool { return x == x && abs(x) <= 3.4028234e38; }

/** The new value of a parameter element whose old value is \`old\` and whose flat index is i; moments written in place. */
fn update(old: f32, i: i32, clip: f32) -> f32 {
  let cg = clip * g[i];
  let mi = u.beta1 * m[i] + (1.0 - u.beta1) * cg;
  let vi = u.beta2 * v[i] + (1.0 - u.beta2) * cg * cg;
  m[i] = mi;
  v[i] = vi;
  return old * u.decay - u.stepSize * mi / (sqrt(vi) / u.sqrtBias2 + u.eps);
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let q = i32(gid.x) + i32(gid.y) * u.rowThreads;
  // A step whose loss or gradient norm is not finite changes nothing.
  if (!(finiteF(summary[0]) && finiteF(summary[1]))) { return; }
  var clip = 1.0;
  if (u.maxNorm > 0.0) { clip = min(1.0, u.maxNorm / (sqrt(summary[1]) + 1e-6)); }
${updates.join('\n')}
}`;
}

/** A private copy of x (one dispatch), for a variable whose buffer another tensor still shares. */
function copyOf(backend: WebGPUBackend, x: Tensor): tf.TensorInfo {
  const code = 'fn main(index: i32) { if (index < uniforms.count) { result[index] = x[index]; } }';
  const spec = { name: 'copy', key: '', outputShape: x.shape, inputs: ['x'], uniforms: [{ name: 'count', type: 'i32' as const, value: x.size }], threads: x.size, workgroupSize: WORKGROUP, code };
  return runProgram(backend, spec, [x]);
}

/**
 * One AdamW step on WebGPU, in place, for parameters whose gradients were flattened, in order, into `flatGrad` [P];
 * `summary` holds [loss, ‖flatGrad‖², …] of this step. Writes the new values into `params` and the new moments into
 * `moments.m` / `moments.v` [P], which must not share their buffers with other tensors (the trainer's own). When
 * the loss or the norm is not finite, nothing changes. ⌈params / (bindings − 4)⌉ dispatches.
 */
export function fusedAdamWStep(params: tf.Variable[], flatGrad: Tensor, moments: { m: Tensor; v: Tensor }, summary: Tensor, hp: AdamWStepHyper): void {
  const backend = webgpuBackend();
  for (const t of [moments.m, moments.v]) if (!ownsBuffer(backend, t)) throw new Error('internal: AdamW moments must own their buffers');
  const seen = new Set<object>();
  for (const p of params) {
    // A variable made from a tensor that is still alive shares its buffer; give it its own before writing.
    if (!ownsBuffer(backend, p) || seen.has(p.dataId)) {
      const info = copyOf(backend, p);
      const copy = tf.engine().makeTensorFromTensorInfo(info);
      p.assign(copy);
      copy.dispose();
    }
    seen.add(p.dataId);
  }
  const perPass = Math.max(1, storageBindingLimit(backend) - SHARED_BINDINGS);
  const maxPerDimension = maxWorkgroupsPerDimension(backend);
  const hyper = [
    { type: 'float32' as const, value: 1 - hp.lr * hp.weightDecay },
    { type: 'float32' as const, value: hp.lr / (1 - Math.pow(hp.beta1, hp.t)) },
    { type: 'float32' as const, value: Math.sqrt(1 - Math.pow(hp.beta2, hp.t)) },
    { type: 'float32' as const, value: hp.eps },
    { type: 'float32' as const, value: hp.beta1 },
    { type: 'float32' as const, value: hp.beta2 },
    { type: 'float32' as const, value: hp.maxGradNorm },
  ];
  // Each parameter's offset in the flat vectors (the order of flatGrad), then the parameters grouped by size, largest
  // first, so the parameters sharing a dispatch have similar sizes and few invocations idle past a parameter's end.
  let flat = 0;
  const entries = params.map((p) => {
    const entry = { p, flat };
    flat += p.size;
    return entry;
  });
  entries.sort((a, b) => b.p.size - a.p.size);
  for (let first = 0; first < entries.length; first += perPass) {
    const slice = entries.slice(first, first + perPass);
    const group = slice.map((e) => e.p);
    const layout: { type: 'int32'; value: number }[] = slice.flatMap((e) => [
      { type: 'int32' as const, value: e.p.size },
      { type: 'int32' as const, value: e.flat },
    ]);
    const threads = group[0].size;
    const bindings: RawBinding[] = [
      { tensor: flatGrad, write: false },
      { tensor: moments.m, write: true },
      { tensor: moments.v, write: true },
      { tensor: summary, write: false },
      ...group.map((p) => ({ tensor: p, write: true })),
    ];
    const [x] = rawDispatch(threads, WORKGROUP, maxPerDimension);
    runRawPass(backend, {
      key: `tunelabAdamW_${group.length}`,
      code: adamwCode(group.length),
      bindings,
      uniforms: [...hyper, { type: 'int32', value: x * WORKGROUP }, ...layout],
      threads,
      workgroupSize: WORKGROUP,
    });
  }
}
