// The bench itself, in a module worker on WebGPU: matmul peak, stock-tfjs baseline, engine; reports progress and JSON.
import { tf } from '../../engine/backend/tf';
import { initBackend } from '../../engine/backend/init';
import { installDispatchCounter } from './dispatch-counter';
import { measureMatmulPeak } from './matmul-peak';
import { measureBaseline, type RunOptions } from './baseline-bench';
import { measureEngine } from './engine-bench';
import { buildResult, isSoftwareAdapter, type AdapterSummary, type BenchReport, type BenchResult } from './report';
import { GPT2_SMALL, TINY_GPT, type BenchShape } from './shapes';
import type { BenchConfig, BenchMessage } from './protocol';

const post = (msg: BenchMessage) => (self as unknown as Worker).postMessage(msg);
const log = (text: string) => post({ type: 'progress', text });

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

  const runOpts: RunOptions = { warmupSteps: config.warmupSteps, timedSteps: config.timedSteps, decode: true, log };

  for (const shape of shapes) {
    const notes: string[] = [];
    log(`== ${shape.model}: batch ${shape.batch}, seq ${shape.seq}, d ${shape.d}, ${shape.layers} layers, vocab ${shape.vocab}`);
    const baseline = config.skipBaseline ? null : await measureBaseline(shape, runOpts);
    if (!baseline) notes.push('baseline skipped (--skip-baseline)');
    const engine = await measureEngine(shape, runOpts);
    notes.push(...engine.notes);
    const result: BenchResult = buildResult({ shape, matmulPeakGflops: peak.peakGflops, engine: engine.measured, baseline, notes });
    report.results.push(result);
    post({ type: 'partial', report });
  }
  report.finishedAt = new Date().toISOString();
  return report;
}

self.onmessage = (e: MessageEvent<BenchConfig>) => {
  runBench(e.data).then(
    (report) => post({ type: 'done', report }),
    (err: unknown) => post({ type: 'error', message: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err) }),
  );
};
