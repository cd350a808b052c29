// UI state for the compute backend: the user's preference, which one the worker started, and why it is not WebGPU when it is not.
import type { BackendInfo, BackendName } from '../../contract';
import { gpuWorker, terminateGpuWorker } from '../worker-client';

export type BackendPreference = 'auto' | BackendName;
const KEY = 'tunelab.backend';

export class BackendState {
  info = $state<BackendInfo | null>(null);
  error = $state<string | null>(null);
  starting = $state(false);
  preference = $state<BackendPreference>((localStorage.getItem(KEY) as BackendPreference | null) ?? 'auto');

  async start(): Promise<void> {
    this.starting = true;
    this.error = null;
    try {
      this.info = await gpuWorker().init(this.preference === 'auto' ? undefined : this.preference);
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.starting = false;
    }
  }

  /** Restarts the worker on the chosen backend (only between jobs: the caller disables this while one runs). */
  async choose(preference: BackendPreference): Promise<void> {
    this.preference = preference;
    localStorage.setItem(KEY, preference);
    terminateGpuWorker();
    this.info = null;
    await this.start();
  }

  get label(): string {
    if (this.error) return `Compute backend failed: ${this.error}`;
    if (!this.info) return 'Starting compute backend…';
    if (this.info.name === 'webgpu') {
      const a = this.info.adapter;
      const name = [a?.vendor, a?.architecture].filter(Boolean).join(' ') || a?.description || 'GPU adapter';
      return `WebGPU · ${name}${a?.featureLevel === 'compatibility' ? ' (compatibility mode)' : ''}`;
    }
    const why = this.preference === 'auto' ? ' (no WebGPU)' : ' (chosen)';
    return (this.info.name === 'wasm' ? 'WebAssembly' : 'CPU') + why;
  }
}
