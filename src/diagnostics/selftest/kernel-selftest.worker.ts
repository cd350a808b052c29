// Kernel self-test worker: every fused WGSL kernel against its float64 reference on the WebGPU backend the app would pick.
import { initBackend, type BackendInfo } from '../../engine/backend/init';
import { tf } from '../../engine/backend/tf';
import { kernelCheckSuites, type KernelCheck } from '../../engine/backend/kernels/check-suites';
import { exactSearchChecks } from '../../engine/embed/exact-search-check';

export type KernelSelftestMessage =
  | { kind: 'progress'; text: string }
  | { kind: 'done'; backend: BackendInfo; checks: KernelCheck[]; gpuErrors: string[]; leakedTensors: number; ms: number }
  | { kind: 'error'; message: string };

self.onmessage = async (event: MessageEvent<{ only: string[] | null }>) => {
  const post = (m: KernelSelftestMessage) => self.postMessage(m);
  try {
    const started = performance.now();
    const backend = await initBackend('webgpu');
    if (backend.name !== 'webgpu') throw new Error(`WebGPU did not start: ${backend.fallbackReason}`);
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    const gpuErrors: string[] = [];
    device.addEventListener('uncapturederror', (e) => gpuErrors.push((e as GPUUncapturedErrorEvent).error.message));
    const before = tf.memory().numTensors;
    const checks: KernelCheck[] = [];
    // Exact search through the top-k kernel rides along (it lives in engine/embed, which the kernels may not import).
    for (const [name, suite] of Object.entries({ ...kernelCheckSuites, exactSearch: exactSearchChecks })) {
      if (event.data.only && !event.data.only.includes(name)) continue;
      post({ kind: 'progress', text: `checking ${name}` });
      checks.push(...(await suite()));
    }
    post({ kind: 'done', backend, checks, gpuErrors, leakedTensors: tf.memory().numTensors - before, ms: performance.now() - started });
  } catch (e) {
    post({ kind: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
};
