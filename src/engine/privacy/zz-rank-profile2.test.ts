// TEMP profiling (not committed).
import { test } from 'vitest';
import { tf } from '../backend/tf';
import { useDawnWebGPU } from '../backend/kernels/dawn-webgpu';
import { createEngineSide } from '../../diagnostics/bench/engine-bench';
import { TINY_GPT } from '../../diagnostics/bench/shapes';
import { formatProfile, profileStep } from '../../diagnostics/bench/step-profile';
import { privacyModelOf } from './privacy-model';

test('profile2', { timeout: 3_600_000 }, async () => {
  await useDawnWebGPU();
  const side = await createEngineSide(TINY_GPT, 'f32');
  await side.step();
  const pm = privacyModelOf(side.model, side.lora);
  const enc = (t: string) => [...t].map((c) => c.charCodeAt(0) % 512);
  const root = await pm.extendPrefix!(null, null, [enc('my account pin is ')]);
  const B = Number(process.env.PROF_B ?? 1000);
  const parents = new Int32Array(B).fill(0);
  const toks = Array.from({ length: B }, (_, i) => [48 + (i % 10)]);
  const lvl = await pm.extendPrefix!(root.state, new Int32Array(B).fill(0), toks);
  const again = async () => { const s = await pm.extendPrefix!(lvl.state, parents.map((_, i) => i), toks); s.state.dispose(); };
  await again();
  const t0 = performance.now(); await again(); console.log('warm extend', (performance.now() - t0).toFixed(0));
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  const p = await profileStep(again, device, { reps: 1, trials: 1 });
  console.log(formatProfile(p).join('\n'));
  const p2 = await profileStep(() => side.step(), device, { reps: 1, trials: 1 });
  console.log(formatProfile(p2).join('\n'));
  side.dispose();
});
