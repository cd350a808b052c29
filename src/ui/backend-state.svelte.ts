// UI state for the compute backend: which one the worker started, and why it is not WebGPU when it is not.
import type { BackendInfo } from '../engine/backend/init';
import { gpuWorker } from './worker-client';

export class BackendState {
  info = $state<BackendInfo | null>(null);
  error = $state<string | null>(null);
  starting = $state(false);

  async start(): Promise<void> {
    this.starting = true;
    try {
      this.info = await gpuWorker().init();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.starting = false;
    }
  }

  get label(): string {
    if (this.error) return `Compute backend failed: ${this.error}`;
    if (!this.info) return 'Starting compute backend…';
    if (this.info.name === 'webgpu') {
      const a = this.info.adapter;
      return `WebGPU · ${a?.vendor || 'unknown vendor'} ${a?.architecture || ''}`.trim();
    }
    return this.info.name === 'wasm' ? 'WebAssembly (no WebGPU)' : 'CPU (no WebGPU)';
  }
}
