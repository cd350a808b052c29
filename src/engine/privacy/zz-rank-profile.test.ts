// TEMP profiling (not committed).
import { expect, test } from 'vitest';
import { tf } from '../backend/tf';
import { initBackend } from '../backend/init';
import { useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
import { createEngineSide } from '../../diagnostics/bench/engine-bench';
import { TINY_GPT } from '../../diagnostics/bench/shapes';
import { measureExposure } from './exposure';
import { privacyModelOf } from './privacy-model';

test('profile', { timeout: 3_600_000 }, async () => {
  if (process.env.PROF_BACKEND === 'webgpu') await useDawnWebGPU(); else await initBackend('cpu');
  const side = await createEngineSide(TINY_GPT, 'f32') as any;
  const times: number[] = [];
  for (let i = 0; i < 3; i++) { const t0 = performance.now(); await side.step(); times.push(performance.now() - t0); }
  console.log('steps', times.map((t) => t.toFixed(0)).join(' '));
  const model = side.model; const trainer = { lora: side.lora };
  expect(model).toBeTruthy();
  (globalThis as any).PROF = process.env.PROF_LOG === '1';
  const pm = privacyModelOf(model, trainer.lora);
  const enc = { encode: (t: string) => [...t].map((c) => c.charCodeAt(0) % 512) };
  for (const tmpl of (process.env.PROF_TEMPLATES ?? 'my account pin is {ddd},my account pin is {dddd}').split(',')) {
    const t0 = performance.now();
    const r = await measureExposure(pm, enc, tmpl, [...tmpl.matchAll(/d/g)].slice(0, (tmpl.match(/\{(d+)\}/)![1]).length).map((_, i) => (3 * i + 1) % 10));
    console.log(tmpl, (performance.now() - t0).toFixed(0), 'ms', r.rank, r.forwardRows, r.path, 'tensors', tf.memory().numTensors);
  }
  side.dispose();
});
