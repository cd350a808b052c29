// Side-by-side generation: one prompt, base and fine-tuned model streamed with the same sampling seed.
import * as Comlink from 'comlink';
import type { GenerateProgress, GenerateResult } from '../../contract';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';

export class GenerationState {
  prompt = $state('');
  seed = $state(7);
  temperature = $state(0);
  maxTokens = $state(24);
  /** Loaded models: send the prompt as a user turn through the chat template. */
  chat = $state(false);
  base = $state('');
  tuned = $state('');
  result = $state.raw<GenerateResult | null>(null);
  running = $state(false);
  error = $state<ShownError | null>(null);
  private job: JobHandle<GenerateResult> | null = null;

  async generate(runId: string, chat = false): Promise<void> {
    this.error = null;
    this.base = '';
    this.tuned = '';
    this.result = null;
    this.running = true;
    const onProgress = Comlink.proxy((p: GenerateProgress) => {
      if (p.side === 'base') this.base = p.text;
      else this.tuned = p.text;
    });
    const input = { runId, prompt: this.prompt, maxTokens: this.maxTokens, temperature: this.temperature, seed: this.seed, chat };
    this.job = startJob((api, id) => api.generate(id, input, onProgress));
    try {
      this.result = await this.job.result;
      this.base = this.result.base;
      this.tuned = this.result.tuned;
    } catch (e) {
      this.error = toShownError(e);
    } finally {
      this.running = false;
      this.job = null;
    }
  }

  cancel(): void {
    void this.job?.stop('cancel');
  }
}
