// The bench itself, in a module worker on WebGPU: matmul peak, then stock-tfjs baseline and engine interleaved; reports progress and JSON.
import { tf } from '../../engine/backend/tf';
import { initBackend } from '../../engine/backend/init';
import { installDispatchCounter } from './dispatch-counter';
import { benchKernels } from './kernel-bench';
import { benchHalfLinear, benchTrainKernels } from './train-kernel-bench';
import { measureMatmulPeak } from './matmul-peak';
import { createBaselineSide } from './baseline-bench';
import { createEngineSide, type EngineSide } from './engine-bench';
import { median, timeDecode, timeStepsInterleaved, type BenchSide } from './measure';
import { buildResult, isSoftwareAdapter, round, type AdapterSummary, type BenchReport, type StepMeasurement } from './report';
import { GPT2_SMALL, TINY_GPT, type BenchShape } from './shapes';
import { benchRealShape, REAL_SHAPES } from './real-shapes';
import type { BenchConfig, BenchMessage } from './protocol';

const post = (msg: BenchMessage) => (self as unknown as Worker).postMessage(msg);
const log = (text: string) => post({ type: 'progress', text });

/** Baseline and engine side by side: steps interleaved, then each side's decode. */
/** Baseline, engine (f32 base) and engine with the f16 base, steps interleaved; returns [baseline, engine, engine f16, notes]. */
async function measureShape(shape: BenchShape, config: BenchConfig): Promise<[StepMeasurement | null, StepMeasurement, StepMeasurement, string[]]> {
  const tensorsBefore = tf.memory().numTensors;
  const notes: string[] = [];
  const sides: BenchSide[] = [];
  const engines: EngineSide[] = [];
  try {
    if (config.skipBaseline) notes.push('baseline skipped (--skip-baseline)');
    else sides.push(createBaselineSide(shape));
    for (const precision of ['f32', 'f16'] as const) {
      const engine = await createEngineSide(shape, precision);
      engines.push(engine);
      sides.push(engine);
    }
    const steps = await timeStepsInterleaved(sides, { warmupSteps: config.warmupSteps, timedSteps: config.timedSteps, log });
    for (const note of engines.flatMap((e) => e.notes())) {
      notes.push(note);
      log(`WARNING ${note}`);
    }
    const measured: StepMeasurement[] = [];
    for (const [k, side] of sides.entries()) {
      const rate = await timeDecode(() => side.decode(), shape.decodeTokens, log, `${side.label} decode`);
      measured.push({ ...steps[k], decodeTokensPerSec: rate });
    }
    // The two engine sides differ by less than the load moves one decode: two more timed decodes each, alternating,
    // and the median of the three.
    const engineIndex = sides.length - 2;
    const rates = [[measured[engineIndex].decodeTokensPerSec!], [measured[engineIndex + 1].decodeTokensPerSec!]];
    for (let round = 0; round < 2; round++) {
      for (const e of [0, 1]) {
        const t0 = performance.now();
        const ids = await sides[engineIndex + e].decode();
        if (ids.length !== shape.decodeTokens) throw new Error(`${sides[engineIndex + e].label}: decoded ${ids.length} tokens, expected ${shape.decodeTokens}`);
        rates[e].push(shape.decodeTokens / ((performance.now() - t0) / 1000));
      }
    }
    log(`decode tokens/s, three timed runs each: f32 base ${rates[0].map((r) => r.toFixed(1)).join(' ')}, f16 base ${rates[1].map((r) => r.toFixed(1)).join(' ')}`);
    for (const e of [0, 1]) measured[engineIndex + e].decodeTokensPerSec = median(rates[e]);
    const [engineF32, engineF16] = measured.slice(-2);
    return [config.skipBaseline ? null : measured[0], engineF32, engineF16, notes];
  } finally {
    for (const side of sides) side.dispose();
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked) log(`${shape.model}: warning, ${leaked} tensors left alive after disposing both sides`);
  }
}

async function runBench(config: BenchConfig): Promise<BenchReport> {
  installDispatchCounter();
  const info = await initBackend('webgpu');
  if (info.name !== 'webgpu' || !info.adapter) throw new Error(`WebGPU did not start: ${info.fallbackReason}`);
  const a = info.adapter;
  const adapter: AdapterSummary = {
    vendor: a.vendor,
    architecture: a.architecture,
    description: a.description,
    featureLevel: a.featureLevel,
    // Chromium's compatibility adapter on lavapipe reports empty strings, so the launch recipe counts too.
    software: isSoftwareAdapter(a, a.isFallback) || config.recipe === 'lavapipe' || config.recipe === 'swiftshader',
  };
  log(`adapter: ${JSON.stringify(adapter)}`);
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device) throw new Error('the tfjs WebGPU backend exposes no device');

  const report: BenchReport = { adapter, recipe: config.recipe, results: [], skipped: [], startedAt: new Date().toISOString() };
  const skipped = report.skipped as string[];
  const shapes: BenchShape[] = [TINY_GPT];
  if (config.gpt2Small || !adapter.software) shapes.push(GPT2_SMALL);
  else skipped.push(`${GPT2_SMALL.model}: skipped on a software adapter (far too slow); pass --gpt2-small to run it anyway`);
  const peak = await measureMatmulPeak(device, { log, sizes: config.matmulSizes });
  report.matmul = {
    best: peak.best,
    verification: peak.verification,
    measurements: peak.measurements.map((m) => ({ ...m, gflops: Number(m.gflops.toFixed(3)), seconds: Number(m.seconds.toFixed(3)) })),
    skipped: peak.skipped,
  };
  log(`matmul peak: ${peak.peakGflops?.toFixed(2) ?? 'none'} GFLOP/s (${peak.best?.variant ?? '-'} ${peak.best?.size ?? ''})`);
  post({ type: 'partial', report });
  if (config.realShapes) {
    // `--real-shapes`: only the real-shape entries (minutes per step on a software adapter; kept out of the usual run).
    report.realShapes = [];
    for (const shape of REAL_SHAPES.filter((s) => config.realShapes === 'all' || config.realShapes!.split(',').includes(s.model))) {
      log(`== ${shape.model}: batch ${shape.batch}, seq ${shape.seq}, ${shape.config.num_hidden_layers} layers, hidden ${shape.config.hidden_size}, vocab ${shape.config.vocab_size}`);
      (report.realShapes as unknown[]).push(await benchRealShape(shape, peak.peakGflops, log));
      post({ type: 'partial', report });
    }
    report.finishedAt = new Date().toISOString();
    return report;
  }

  for (const shape of shapes) {
    log(`== ${shape.model}: batch ${shape.batch}, seq ${shape.seq}, d ${shape.d}, ${shape.layers} layers, vocab ${shape.vocab}`);
    const [baseline, engine, engineF16, notes] = await measureShape(shape, config);
    const result = buildResult({ shape, matmulPeakGflops: peak.peakGflops, engine, baseline, notes });
    // The headline keys describe the exact (f32 base) engine; the same LoRA step on the f16 base, measured alongside:
    result.f16Base = {
      msPerStep: round(engineF16.msPerStep),
      firstStepMs: round(engineF16.firstStepMs),
      dispatchesPerStep: engineF16.dispatchesPerStep,
      decodeTokensPerSec: round(engineF16.decodeTokensPerSec),
      speedupVsF32Base: round(engine.msPerStep / engineF16.msPerStep),
      speedupVsBaseline: baseline ? round(baseline.msPerStep / engineF16.msPerStep) : null,
    };
    report.results.push(result);
    post({ type: 'partial', report });
  }
  log('== fused kernels vs the stock tfjs ops they replace (tiny-gpt shapes)');
  report.kernels = [...(await benchKernels(TINY_GPT, log)), ...(await benchTrainKernels(log))];
  log('== fused LoRA linear: frozen W as f16 pairs vs f32');
  report.f16Linear = await benchHalfLinear(log);
  report.shaderF16 = device.features.has('shader-f16');
  post({ type: 'partial', report });
  report.finishedAt = new Date().toISOString();
  return report;
}

self.onmessage = (e: MessageEvent<BenchConfig>) => {
  runBench(e.data).then(
    (report) => post({ type: 'done', report }),
    (err: unknown) => post({ type: 'error', message: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err) }),
  );
};
