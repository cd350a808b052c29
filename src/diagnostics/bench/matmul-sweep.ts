// Tilings of the fused matmul timed against each other at the tiny GPT's real step shapes (`npm run bench -- --profile`).
import { tf } from '../../engine/backend/tf';
import { pseudoRandom } from '../../engine/backend/kernels/check-harness';
import { tiledMatmul, type MatmulSpec } from '../../engine/backend/kernels/lora-linear/tiled-matmul';
import { currentTiling, setTiling, type Tiling } from '../../engine/backend/kernels/lora-linear/tiling';
import { profileStep } from './step-profile';

interface Case {
  name: string;
  spec: MatmulSpec;
  /** Dispatches of this shape in one step. */
  perStep: number;
}

const r = 8;
const mk = 'mk' as const;
/** The step's matmuls (tiny GPT, LoRA r 8 on every linear layer, batch 8 × seq 64 = 512 rows, d 128). */
export const STEP_MATMULS: Case[] = [
  { name: 'c_attn fwd 512×128→384 +lora', perStep: 4, spec: { M: 512, N: 384, K: 128, pLayout: mk, qLayout: 'kn', alpha: 1, second: { K: r, pLayout: mk, qLayout: 'nk' }, hasBias: true } },
  { name: 'c_fc fwd 512×128→512 +lora', perStep: 4, spec: { M: 512, N: 512, K: 128, pLayout: mk, qLayout: 'kn', alpha: 1, second: { K: r, pLayout: mk, qLayout: 'nk' }, hasBias: true } },
  { name: 'attn c_proj fwd 512×128→128 +lora +res', perStep: 4, spec: { M: 512, N: 128, K: 128, pLayout: mk, qLayout: 'kn', alpha: 1, second: { K: r, pLayout: mk, qLayout: 'nk' }, hasBias: true, hasResidual: true } },
  { name: 'mlp c_proj fwd 512×512→128 +lora +res', perStep: 4, spec: { M: 512, N: 128, K: 512, pLayout: mk, qLayout: 'kn', alpha: 1, second: { K: r, pLayout: mk, qLayout: 'nk' }, hasBias: true, hasResidual: true } },
  { name: 'c_attn dx 512×384→128 +lora', perStep: 3, spec: { M: 512, N: 128, K: 384, pLayout: mk, qLayout: 'nk', alpha: 1, second: { K: r, pLayout: mk, qLayout: 'kn' }, hasBias: false } },
  { name: 'c_fc dx 512×512→128 +lora', perStep: 4, spec: { M: 512, N: 128, K: 512, pLayout: mk, qLayout: 'nk', alpha: 1, second: { K: r, pLayout: mk, qLayout: 'kn' }, hasBias: false } },
  { name: 'mlp c_proj dx 512×128→512 +lora', perStep: 4, spec: { M: 512, N: 512, K: 128, pLayout: mk, qLayout: 'nk', alpha: 1, second: { K: r, pLayout: mk, qLayout: 'kn' }, hasBias: false } },
  { name: 'lm_head fwd 512×128→512 (nk)', perStep: 1, spec: { M: 512, N: 512, K: 128, pLayout: mk, qLayout: 'nk', alpha: 1, hasBias: false } },
  { name: 'hs = x·Aᵀ 512×128→8', perStep: 16, spec: { M: 512, N: r, K: 128, pLayout: mk, qLayout: 'nk', alpha: 2, hasBias: false } },
  { name: 'dh = dy·B 512×384→8', perStep: 16, spec: { M: 512, N: r, K: 384, pLayout: mk, qLayout: 'kn', alpha: 2, hasBias: false } },
  { name: 'dB = dyᵀ·hs 384×512→8', perStep: 16, spec: { M: 384, N: r, K: 512, pLayout: 'km', qLayout: 'kn', alpha: 1, hasBias: false } },
  { name: 'dA = dhᵀ·x 8×512→128', perStep: 16, spec: { M: r, N: 128, K: 512, pLayout: 'km', qLayout: 'kn', alpha: 1, hasBias: false } },
];

function operandsFor(spec: MatmulSpec, seed: number) {
  const t = (rows: number, cols: number, s: number) => tf.tensor2d(pseudoRandom(rows * cols, s), [rows, cols]);
  const P = spec.pLayout === 'mk' ? t(spec.M, spec.K, seed) : t(spec.K, spec.M, seed);
  const Q = spec.qLayout === 'kn' ? t(spec.K, spec.N, seed + 1) : t(spec.N, spec.K, seed + 1);
  const s = spec.second;
  return {
    P,
    Q,
    ...(s ? { P2: s.pLayout === 'mk' ? t(spec.M, s.K, seed + 2) : t(s.K, spec.M, seed + 2), Q2: s.qLayout === 'kn' ? t(s.K, spec.N, seed + 3) : t(spec.N, s.K, seed + 3) } : {}),
    ...(spec.hasBias ? { bias: tf.tensor1d(pseudoRandom(spec.N, seed + 4)) } : {}),
    ...(spec.hasResidual ? { residual: t(spec.M, spec.N, seed + 5) } : {}),
  };
}

/**
 * GPU ms of one call: its dispatches recorded and replayed alone (profileStep: (1 + reps copies − 1 copy) / reps,
 * best of 3), so neither tfjs's per-call JS nor the submission and readback count; small shapes would otherwise
 * measure mostly that overhead.
 */
async function timeCalls(spec: MatmulSpec, ops: ReturnType<typeof operandsFor>, device: GPUDevice): Promise<number> {
  const profile = await profileStep(
    async () => {
      const c = tiledMatmul(ops, spec);
      await c.data();
      c.dispose();
    },
    device,
    { reps: 8, trials: 3 },
  );
  return profile.gpuMs;
}

export interface SweepRow {
  case: string;
  perStep: number;
  /** Best ms per call of each tiling, by name. */
  ms: Record<string, number>;
}

/** Every tiling on every case, alternating tilings within a round so all see the same load; best of `rounds`. */
export async function sweepTilings(tilings: Tiling[], device: GPUDevice, log: (line: string) => void, rounds = 2): Promise<SweepRow[]> {
  const before = currentTiling();
  const rows: SweepRow[] = [];
  try {
    for (const [i, c] of STEP_MATMULS.entries()) {
      const ops = operandsFor(c.spec, 10 * i + 1);
      const ms: Record<string, number> = {};
      try {
        for (const t of tilings) {
          setTiling(t);
          await timeCalls(c.spec, ops, device); // compile
        }
        for (let round = 0; round < rounds; round++) {
          for (let j = 0; j < tilings.length; j++) {
            const t = tilings[(j + round) % tilings.length];
            setTiling(t);
            const m = await timeCalls(c.spec, ops, device);
            ms[t.name] = Math.min(ms[t.name] ?? Infinity, m);
          }
        }
      } finally {
        tf.dispose(Object.values(ops));
      }
      rows.push({ case: c.name, perStep: c.perStep, ms });
      const flops = 2 * c.spec.M * c.spec.N * (c.spec.K + (c.spec.second?.K ?? 0));
      log(`sweep ${c.name} (×${c.perStep}): ${tilings.map((t) => `${t.name} ${ms[t.name].toFixed(2)} ms (${(flops / ms[t.name] / 1e6).toFixed(2)} GF/s)`).join(', ')}`);
    }
    const totals = tilings.map((t) => `${t.name} ${rows.reduce((s, row) => s + row.perStep * row.ms[t.name], 0).toFixed(0)} ms`);
    log(`sweep: per-step matmul total by tiling: ${totals.join(', ')}`);
  } finally {
    setTiling(before);
  }
  return rows;
}
