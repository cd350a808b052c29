// Side-by-side generation: one prompt, base and fine-tuned model streamed with the same sampling seed.
import * as Comlink from 'comlink';
import type { GenerateProgress, GenerateResult } from '../../contract';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';
import { overDefaults, persistChoice, readChoice } from './persisted.svelte';

/** The sampling settings and prompt, remembered across reloads. */
const KEY = 'tunelab.generate';
const DEFAULTS = { prompt: '', seed: 7, temperature: 0, maxTokens: 24, chat: false };

export class GenerationState {
  private readonly stored = readChoice(KEY, DEFAULTS, (s) => overDefaults(DEFAULTS, s));
  prompt = $state(this.stored.prompt);
  seed = $state(this.stored.seed);
  temperature = $state(this.stored.temperature);
  maxTokens = $state(this.stored.maxTokens);
  /** Loaded models: send the prompt as a user turn through the chat template. */
  chat = $state(this.stored.chat);
  base = $state('');
  tuned = $state('');
  result = $state.raw<GenerateResult | null>(null);
  running = $state(false);
  error = $state<ShownError | null>(null);
  private job: JobHandle<GenerateResult> | null = null;

  constructor() {
    persistChoice(KEY, () => ({ prompt: this.prompt, seed: this.seed, temperature: this.temperature, maxTokens: this.maxTokens, chat: this.chat }));
  }

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
