// The port's Teacher on a web-llm engine: one chat completion per prompt, its settings and seed recorded in the producer id.
import { WebLlmOutputError } from '../../errors';
import type { PortCallOptions, ProducerId, Teacher, TeacherCompletion } from '../port';
import { ask, promptLabel, requestOf, type ChatEngine } from './ask';
import { withoutThinking } from './verdict';

export interface WebLlmProducerSettings {
  /** web-llm's `model_id` (e.g. "Qwen2.5-1.5B-Instruct-q4f16_1-MLC"). */
  modelId: string;
  /** The model record's version: web-llm's `modelVersion` (its prebuilt libraries), e.g. "v0_2_86/base". */
  revision?: string;
  temperature?: number;
  topP?: number;
  maxNewTokens: number;
  /** Prompt i is asked with seed + i, so a rerun with the same settings gives the same rows. */
  seed: number;
  /** The model record's weights URL (web-llm's `model`, a Hub repo). */
  url?: string;
  /** How each prompt is put to the model when not as is (recorded in the producer id). */
  promptFormat?: string;
}

export function webLlmProducer(settings: WebLlmProducerSettings): ProducerId {
  return {
    engine: 'web-llm',
    model: settings.modelId,
    ...(settings.revision !== undefined ? { revision: settings.revision } : {}),
    ...(settings.url !== undefined ? { url: settings.url } : {}),
    sampling: { temperature: settings.temperature ?? 0, ...(settings.topP !== undefined ? { topP: settings.topP } : {}), maxNewTokens: settings.maxNewTokens },
    seed: settings.seed,
    ...(settings.promptFormat !== undefined ? { promptFormat: settings.promptFormat } : {}),
  };
}

export interface WebLlmCallOptions extends PortCallOptions {
  /** Per prompt; DEFAULT_TIMEOUT_MS when omitted. */
  timeoutMs?: number;
}

/** web-llm cannot score (it exposes no log-probabilities of a given completion), so `score` is absent, as the port allows. */
export class WebLlmTeacher implements Teacher {
  readonly id: ProducerId;
  constructor(
    private readonly engine: ChatEngine,
    settings: WebLlmProducerSettings,
    private readonly timeoutMs?: number,
  ) {
    this.id = webLlmProducer(settings);
  }

  async generate(prompts: readonly string[], options: WebLlmCallOptions = {}): Promise<TeacherCompletion[]> {
    const out: TeacherCompletion[] = [];
    for (const [i, prompt] of prompts.entries()) {
      // The prompt's position in its source: its seed and its number in messages (a resumed draft asks only some).
      const index = options.indices?.[i] ?? i;
      if (prompt.trim() === '') throw new WebLlmOutputError(`Prompt ${index + 1} is empty: there is nothing for ${this.id.model} to answer.`, 'Remove empty prompts from the dataset, or fill them in, then generate again.');
      const { text, finishReason, tokens } = await ask(this.engine, requestOf(prompt, this.id, this.id.seed + index), {
        producer: this.id,
        prompt,
        index,
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.timeoutMs,
      });
      const completion = withoutThinking(text);
      if (completion.trim() === '') {
        throw new WebLlmOutputError(
          `${this.id.model} returned nothing for prompt ${index + 1} ${promptLabel(prompt)}${finishReason === 'length' ? ` (it hit the ${this.id.sampling.maxNewTokens}-token limit before answering)` : ''}.`,
          'Raise the max tokens, rephrase the prompt, or pick another model.',
        );
      }
      const row: TeacherCompletion = { prompt, completion, finishReason: finishReason === 'length' ? 'length' : 'stop', producer: { ...this.id, seed: this.id.seed + index }, ...(tokens !== undefined ? { tokens } : {}) };
      out.push(row);
      options.onCompletion?.(i, row);
      options.onProgress?.(i + 1, prompts.length);
    }
    return out;
  }
}
