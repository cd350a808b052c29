// Check worker: the fused training kernels (every tiling) against their CPU references on the requested backend.
import { initBackend, type BackendInfo, type BackendName } from '../../engine/backend/init';
import { tf } from '../../engine/backend/tf';
import { checkAdamW } from '../../engine/backend/kernels/adamw/adamw-check';
import { checkEmbedding } from '../../engine/backend/kernels/embedding/embedding-check';
import type { KernelCaseCheck } from '../../engine/backend/kernels/check-harness';
import { checkLoraLinear, LORA_LINEAR_CASES } from '../../engine/backend/kernels/lora-linear/lora-linear-check';
import { checkLoraLinearHalf } from '../../engine/backend/kernels/lora-linear/lora-linear-half-check';
import { chooseTiling } from '../../engine/backend/kernels/lora-linear/tiling-choice';
import { currentTiling, setTiling, TILINGS } from '../../engine/backend/kernels/lora-linear/tiling';

export type KernelSelftestMessage =
  | { kind: 'progress'; text: string }
  | { kind: 'done'; backend: BackendInfo; checks: KernelCaseCheck[]; chosenTiling: string | null; leakedTensors: number; ms: number }
  | { kind: 'error'; message: string };

self.onmessage = async (event: MessageEvent<{ backend: BackendName }>) => {
  const post = (m: KernelSelftestMessage) => self.postMessage(m);
  try {
    const started = performance.now();
    const backend = await initBackend(event.data.backend);
    const before = tf.memory().numTensors;
    const checks: KernelCaseCheck[] = [];
    let chosenTiling: string | null = null;
    if (backend.name === 'webgpu') {
      post({ kind: 'progress', text: 'choosing the tiling for this adapter' });
      chosenTiling = (await chooseTiling()).name;
      const chosen = currentTiling();
      // Every case under the tiling this adapter uses; two small ones under the others (a software adapter runs the
      // workgroup-memory tiling so slowly that all cases would not fit the test's time).
      for (const tiling of TILINGS) {
        post({ kind: 'progress', text: `lora-linear, tiling ${tiling.name}` });
        setTiling(tiling);
        const cases = tiling === chosen ? LORA_LINEAR_CASES : [LORA_LINEAR_CASES[2], LORA_LINEAR_CASES[6]];
        for (const c of await checkLoraLinear(cases)) checks.push({ ...c, kernel: `${c.kernel} [${tiling.name}]` });
        post({ kind: 'progress', text: `lora-linear with an f16 base weight, tiling ${tiling.name}` });
        for (const c of await checkLoraLinearHalf(cases)) checks.push({ ...c, kernel: `${c.kernel} [${tiling.name}]` });
      }
      setTiling(chosen);
      post({ kind: 'progress', text: 'adamw' });
      checks.push(...(await checkAdamW()));
    }
    post({ kind: 'progress', text: 'embedding' });
    checks.push(...(await checkEmbedding()));
    post({ kind: 'done', backend, checks, chosenTiling, leakedTensors: tf.memory().numTensors - before, ms: performance.now() - started });
  } catch (e) {
    post({ kind: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
};
