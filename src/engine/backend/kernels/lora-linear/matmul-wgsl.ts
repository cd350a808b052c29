// WGSL for a plain f32 matmul C[M,N] = A[M,K]·B[K,N] (row-major) in four tilings: registers (4×8, 8×8 or 16×8 per thread) for software adapters, workgroup memory for GPUs.

/** Which tiling (measured per adapter, docs/bench.md): software adapters pay 3–6× for barriers and workgroup memory, real GPUs gain from them. */
export type MatmulVariant = 'register4x8' | 'register8x8' | 'register16x8' | 'workgroup64';

/** Every variant, in the order the bench measures them. */
export const MATMUL_VARIANTS: readonly MatmulVariant[] = ['register4x8', 'register8x8', 'register16x8', 'workgroup64'];

export interface MatmulKernel {
  variant: MatmulVariant;
  code: string;
  /** Outputs per workgroup along M and N: dispatch [N / tileN, M / tileM, 1]. */
  tileM: number;
  tileN: number;
  /** M, N, K must be multiples of these (no tail handling: the bench uses square sizes that are multiples of 64). */
  multipleOf: { m: number; n: number; k: number };
}

const bindings = /* wgsl */ `
struct Dims { M: u32, N: u32, K: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> dims: Dims;
`;

/**
 * Each thread keeps a rows×8 block of C in registers (2·rows vec4 accumulators) and streams A and B straight from
 * storage, four k at a time; no workgroup memory, no barriers. Workgroup 8×8 threads → a (8·rows)×64 tile.
 * rows 4 is the classic register tile; rows 16 is the tile the fused kernels use on large outputs (tiling.ts).
 */
function registerTile(rowsPerThread: 4 | 8 | 16): MatmulKernel {
  const rows = Array.from({ length: rowsPerThread }, (_, r) => r);
  const acc = rows.flatMap((r) => [`var c${r}0 = vec4<f32>(0.0);`, `var c${r}1 = vec4<f32>(0.0);`]).join('\n  ');
  const loadA = rows.map((r) => `let a${r} = A[(row + ${r}u) * K4 + k4];`).join('\n    ');
  const loadB = [0, 1, 2, 3]
    .map((j) => `let b${j}0 = B[(k + ${j}u) * N4 + col4]; let b${j}1 = B[(k + ${j}u) * N4 + col4 + 1u];`)
    .join('\n    ');
  const fma = rows
    .flatMap((r) =>
      [0, 1].map((h) => `c${r}${h} = c${r}${h} + a${r}.x * b0${h} + a${r}.y * b1${h} + a${r}.z * b2${h} + a${r}.w * b3${h};`),
    )
    .join('\n    ');
  const store = rows.map((r) => `C[(row + ${r}u) * N4 + col4] = c${r}0; C[(row + ${r}u) * N4 + col4 + 1u] = c${r}1;`).join('\n  ');
  const code = /* wgsl */ `${bindings}
@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let K4 = dims.K / 4u;
  let N4 = dims.N / 4u;
  let row = gid.y * ${rowsPerThread}u;          // first of ${rowsPerThread} output rows
  let col4 = gid.x * 2u;         // first of 2 vec4 output columns (8 floats)
  if (row >= dims.M || col4 >= N4) { return; }
  ${acc}
  for (var k4 = 0u; k4 < K4; k4 = k4 + 1u) {
    let k = k4 * 4u;
    ${loadA}
    ${loadB}
    ${fma}
  }
  ${store}
}`;
  const tileM = 8 * rowsPerThread;
  return { variant: `register${rowsPerThread}x8` as MatmulVariant, code, tileM, tileN: 64, multipleOf: { m: tileM, n: 64, k: 4 } };
}

/**
 * Classic shared-memory tiling: a 16×16 workgroup computes a 64×64 tile of C, each thread 4×4 outputs,
 * staging 64×16 of A and 16×64 of B in workgroup memory per step of 16 along K.
 */
function workgroup64(): MatmulKernel {
  const code = /* wgsl */ `${bindings}
const TILE: u32 = 64u;
const KT: u32 = 16u;
var<workgroup> As: array<array<f32, 16>, 64>;   // [64 rows of the tile][16 k]
var<workgroup> Bs: array<array<vec4<f32>, 16>, 16>; // [16 k][64 cols as 16 vec4]

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let K4 = dims.K / 4u;
  let N4 = dims.N / 4u;
  let tileRow = wg.y * TILE;
  let tileCol4 = wg.x * (TILE / 4u);
  let tid = lid.y * 16u + lid.x;         // 0..255
  var acc: array<vec4<f32>, 4>;          // rows lid.y*4 + i, columns vec4 lid.x
  for (var i = 0u; i < 4u; i = i + 1u) { acc[i] = vec4<f32>(0.0); }
  for (var k0 = 0u; k0 < dims.K; k0 = k0 + KT) {
    // A tile 64×16 = 256 vec4: one per thread.
    let ar = tid / 4u;
    let ak4 = tid % 4u;
    let av = A[(tileRow + ar) * K4 + k0 / 4u + ak4];
    As[ar][ak4 * 4u] = av.x; As[ar][ak4 * 4u + 1u] = av.y; As[ar][ak4 * 4u + 2u] = av.z; As[ar][ak4 * 4u + 3u] = av.w;
    // B tile 16×64 = 256 vec4: one per thread.
    let bk = tid / 16u;
    let bc = tid % 16u;
    Bs[bk][bc] = B[(k0 + bk) * N4 + tileCol4 + bc];
    workgroupBarrier();
    for (var kk = 0u; kk < KT; kk = kk + 1u) {
      let b = Bs[kk][lid.x];
      for (var i = 0u; i < 4u; i = i + 1u) {
        acc[i] = acc[i] + As[lid.y * 4u + i][kk] * b;
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i = i + 1u) {
    C[(tileRow + lid.y * 4u + i) * N4 + tileCol4 + lid.x] = acc[i];
  }
}`;
  return { variant: 'workgroup64', code, tileM: 64, tileN: 64, multipleOf: { m: 64, n: 64, k: 16 } };
}

export function matmulKernel(variant: MatmulVariant): MatmulKernel {
  if (variant === 'workgroup64') return workgroup64();
  return registerTile(variant === 'register4x8' ? 4 : variant === 'register8x8' ? 8 : 16);
}

/** CPU reference, f64 accumulation: the check every GPU variant is compared against. */
export function matmulReference(a: Float32Array, b: Float32Array, m: number, n: number, k: number): Float32Array {
  const c = new Float32Array(m * n);
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) row[j] += aip * b[bRow + j];
    }
    c.set(row, i * n);
  }
  return c;
}
