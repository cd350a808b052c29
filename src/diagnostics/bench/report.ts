// Builds the JSON that `npm run bench` prints last: the keys issue 3 fixes, ratios derived in one place.
import { gflopsPerSecond, gpt2TrainStepFlops } from './flops';
import { BENCH_LORA, gpt2ParamCount, type BenchShape } from './shapes';

/** Keys every result must carry (issue 3); more are allowed. Null means "not measured", with a note saying why. */
export const REQUIRED_RESULT_KEYS = [
  'model',
  'params',
  'batch',
  'seq',
  'msPerStep',
  'trainTokensPerSec',
  'dispatchesPerStep',
  'trainGflops',
  'matmulPeakGflops',
  'peakRatio',
  'baselineMsPerStep',
  'speedupVsBaseline',
  'decodeTokensPerSec',
  'baselineDecodeTokensPerSec',
] as const;

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  featureLevel?: 'core' | 'compatibility';
  /** A CPU-emulated adapter (SwiftShader, lavapipe/llvmpipe, or one flagged as fallback). */
  software: boolean;
}

/** Timings of one implementation (engine or baseline) of the train step and of decoding. */
export interface StepMeasurement {
  /** Median of the timed steps, after warm-up. */
  msPerStep: number;
  /** The first step, shader compilation included. */
  firstStepMs: number;
  dispatchesPerStep: number;
  decodeTokensPerSec: number | null;
}

export type BenchResult = Record<(typeof REQUIRED_RESULT_KEYS)[number], string | number | null> & Record<string, unknown>;

export interface BenchReport {
  adapter: AdapterSummary;
  results: BenchResult[];
  [extra: string]: unknown;
}

export interface ResultInput {
  shape: BenchShape;
  matmulPeakGflops: number | null;
  engine: StepMeasurement | null;
  baseline: StepMeasurement | null;
  notes: string[];
}

/** Four significant digits: enough for timings that are noisy at the 10% level. */
export function round(x: number | null): number | null {
  if (x === null || !Number.isFinite(x)) return null;
  if (x === 0) return 0;
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(x))));
  return Number(x.toFixed(Math.min(digits, 6)));
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || !(b > 0) ? null : a / b;
}

/** FLOPs of one bench LoRA step of `shape` (forward + backward, bench/flops.ts). */
export function benchStepFlops(shape: BenchShape): number {
  return gpt2TrainStepFlops({
    d: shape.d,
    layers: shape.layers,
    vocab: shape.vocab,
    seq: shape.seq,
    tokens: shape.batch * shape.seq,
    trainable: 'lora',
    loraRank: BENCH_LORA.r,
    loraTargets: BENCH_LORA.target_modules,
  }).total;
}

/** One result row: raw measurements in, every derived figure (tokens/s, GFLOP/s, ratios) computed here. */
export function buildResult(input: ResultInput): BenchResult {
  const { shape, engine, baseline, matmulPeakGflops } = input;
  const tokens = shape.batch * shape.seq;
  const flops = benchStepFlops(shape);
  const tokensPerSec = (m: StepMeasurement | null) => (m ? tokens / (m.msPerStep / 1000) : null);
  const trainGflops = gflopsPerSecond(flops, engine?.msPerStep ?? null);
  const baselineTrainGflops = gflopsPerSecond(flops, baseline?.msPerStep ?? null);
  return {
    model: shape.model,
    params: gpt2ParamCount(shape),
    batch: shape.batch,
    seq: shape.seq,
    msPerStep: round(engine?.msPerStep ?? null),
    trainTokensPerSec: round(tokensPerSec(engine)),
    dispatchesPerStep: engine?.dispatchesPerStep ?? null,
    trainGflops: round(trainGflops),
    matmulPeakGflops: round(matmulPeakGflops),
    peakRatio: round(ratio(trainGflops, matmulPeakGflops)),
    baselineMsPerStep: round(baseline?.msPerStep ?? null),
    speedupVsBaseline: round(ratio(baseline?.msPerStep ?? null, engine?.msPerStep ?? null)),
    decodeTokensPerSec: round(engine?.decodeTokensPerSec ?? null),
    baselineDecodeTokensPerSec: round(baseline?.decodeTokensPerSec ?? null),
    // Extras: the baseline's own figures, so both sides can be read against the same peak.
    firstStepMs: round(engine?.firstStepMs ?? null),
    baselineFirstStepMs: round(baseline?.firstStepMs ?? null),
    baselineTrainTokensPerSec: round(tokensPerSec(baseline)),
    baselineDispatchesPerStep: baseline?.dispatchesPerStep ?? null,
    baselineTrainGflops: round(baselineTrainGflops),
    baselinePeakRatio: round(ratio(baselineTrainGflops, matmulPeakGflops)),
    decodeSpeedupVsBaseline: round(ratio(engine?.decodeTokensPerSec ?? null, baseline?.decodeTokensPerSec ?? null)),
    stepFlops: flops,
    lora: { r: BENCH_LORA.r, lora_alpha: BENCH_LORA.lora_alpha, target_modules: BENCH_LORA.target_modules },
    decode: { promptTokens: shape.decodePrompt, newTokens: shape.decodeTokens, batch: 1, greedy: true },
    notes: input.notes,
  };
}

/** True when an adapter emulates a GPU on the CPU; GPT-2-small is skipped there unless asked for. */
export function isSoftwareAdapter(info: { vendor: string; architecture: string; description: string }, isFallback: boolean): boolean {
  return isFallback || /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
}

/** Checks a report has the shape other tools rely on; returns the problems (empty when fine). */
export function reportProblems(report: unknown): string[] {
  const problems: string[] = [];
  const r = report as Partial<BenchReport> | null;
  if (!r || typeof r !== 'object') return ['report is not an object'];
  for (const k of ['vendor', 'architecture', 'description'] as const) {
    if (typeof r.adapter?.[k] !== 'string') problems.push(`adapter.${k} missing`);
  }
  if (!Array.isArray(r.results)) return [...problems, 'results is not an array'];
  r.results.forEach((res, i) => {
    for (const k of REQUIRED_RESULT_KEYS) {
      if (!(k in res)) problems.push(`results[${i}].${k} missing`);
      else if (res[k] !== null && typeof res[k] !== (k === 'model' ? 'string' : 'number')) problems.push(`results[${i}].${k} has the wrong type`);
    }
  });
  return problems;
}
