// The engine Teacher: any model TuneLab runs (a Tiny World base, a Hub checkpoint, base + a run's LoRA adapter) answering many prompts with batched sampling.
import { JobCancelledError, ShapeMismatchError, TeacherEmptyCompletionError } from '../errors';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import type { GenerateResult } from '../generate/generate';
import { generateBatch, rowSeed } from '../generate/generate-batch';
import { scoreBatch } from '../generate/score';
import type { PortCallOptions, ProducerId, Teacher, TeacherCompletion } from './port';

export interface EngineTeacherSetup {
  model: CausalLM;
  /** A run's adapter applied on top of the base; null/absent = the base itself (or a fully fine-tuned model's own weights). */
  lora?: LoraAdapter | null;
  /** Who this teacher is; its sampling, maxNewTokens and seed drive generate(). */
  producer: ProducerId;
  /** A prompt's ids as the model reads it (BOS, chat template: the caller's choice). */
  encode: (prompt: string) => number[];
  /** Completion ids → text. */
  decode: (ids: number[]) => string;
  /** A row ends at any of these ids (EOS, end of turn, Tiny World's "\n"); the id itself is not part of the completion. */
  stopTokenIds?: number[];
  stopStrings?: string[];
  /** Only ids below this are generated (the tokenizer's size, when the embedding is padded past it). */
  vocabLimit?: number;
  /** Rows decoded together (default 32). */
  maxBatch?: number;
  /** Keep empty completions (an experiment counts them as wrong answers) instead of refusing them. */
  allowEmpty?: boolean;
}

/** Options of EngineTeacher.generate: the port's (each completion arrives as soon as its row finishes: rows finish out of order). */
export type EngineGenerateOptions = PortCallOptions;

function quoted(prompt: string): string {
  const flat = prompt.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `“${flat.slice(0, 60)}…”` : `“${flat}”`;
}

export class EngineTeacher implements Teacher {
  readonly id: ProducerId;

  constructor(private readonly setup: EngineTeacherSetup) {
    this.id = setup.producer;
  }

  /** The completion of one finished row: its text without the stop token, and why it ended. */
  private completionOf(prompt: string, index: number, result: GenerateResult): TeacherCompletion {
    // `index` is the row's position in its source (its seed and the row number in messages).
    const stopped = result.finishReason === 'stop_token' || result.finishReason === 'stop_string';
    const ids = result.finishReason === 'stop_token' ? result.ids.slice(0, -1) : result.ids;
    const completion = result.finishReason === 'stop_string' ? (result.text ?? '') : this.setup.decode(ids);
    if (!this.setup.allowEmpty && completion.trim() === '') {
      throw new TeacherEmptyCompletionError(
        `The teacher returned nothing for row ${index + 1} (${quoted(prompt)}).`,
        'A model that ends its answer at once has nothing to teach for this prompt: leave the row out, raise the temperature, or pick a stronger teacher.',
      );
    }
    return { prompt, completion, finishReason: stopped ? 'stop' : result.finishReason === 'context' ? 'context' : 'length', producer: { ...this.id, seed: this.rowSeed(index) } };
  }

  /** The seed row `index` samples with (the producer's seed mixed with the row): reproducible one row at a time. */
  rowSeed(index: number): number {
    return rowSeed(this.id.seed, index);
  }

  private promptIds(prompts: readonly string[]): number[][] {
    return prompts.map((prompt, i) => {
      const ids = this.setup.encode(prompt);
      if (ids.length === 0) throw new ShapeMismatchError(`Row ${i + 1} has an empty prompt (${quoted(prompt)}).`, 'Remove the row or give it a prompt.');
      if (ids.length >= this.setup.model.dims.maxPositions) {
        throw new ShapeMismatchError(`Row ${i + 1}'s prompt has ${ids.length} tokens; the teacher's context is ${this.setup.model.dims.maxPositions}, leaving no room to answer.`, 'Shorten that prompt or leave the row out.');
      }
      return ids;
    });
  }

  async generate(prompts: readonly string[], options: EngineGenerateOptions = {}): Promise<TeacherCompletion[]> {
    const ids = this.promptIds(prompts);
    const { sampling } = this.id;
    const out: TeacherCompletion[] = new Array<TeacherCompletion>(prompts.length);
    let done = 0;
    await generateBatch(this.setup.model, ids, {
      maxNewTokens: sampling.maxNewTokens,
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      seeds: prompts.map((_, i) => this.rowSeed(options.indices?.[i] ?? i)),
      stopTokenIds: this.setup.stopTokenIds,
      stopStrings: this.setup.stopStrings,
      decode: this.setup.decode,
      vocabLimit: this.setup.vocabLimit,
      lora: this.setup.lora ?? null,
      maxBatch: this.setup.maxBatch,
      signal: options.signal,
      onRowDone: (index, result) => {
        out[index] = this.completionOf(prompts[index], options.indices?.[index] ?? index, result);
        options.onCompletion?.(index, out[index]);
        options.onProgress?.(++done, prompts.length);
      },
    });
    return out;
  }

  /**
   * Teacher-forced sum of log p(completion | prompt) in nats. The completion's ids are those of encode(prompt +
   * completion) past the prompt's own ids when the prompt tokenises the same inside the whole; otherwise the
   * completion is encoded on its own and appended.
   */
  async score(pairs: readonly { prompt: string; completion: string }[], options: PortCallOptions = {}): Promise<number[]> {
    const sequences = pairs.map(({ prompt, completion }) => {
      const head = this.setup.encode(prompt);
      const whole = this.setup.encode(prompt + completion);
      const aligned = whole.length >= head.length && head.every((id, t) => whole[t] === id);
      return { start: head.length, ids: aligned ? whole : [...head, ...this.setup.encode(completion)] };
    });
    const out: number[] = [];
    const step = Math.max(1, this.setup.maxBatch ?? 32);
    for (let i = 0; i < sequences.length; i += step) {
      if (options.signal?.aborted) throw new JobCancelledError('Scoring was cancelled.', '');
      const batch = sequences.slice(i, i + step);
      const scores = await scoreBatch(this.setup.model, batch.map((s) => s.ids), this.setup.lora ?? null);
      scores.forEach((s, b) => {
        let sum = 0;
        for (let t = Math.max(1, batch[b].start); t < batch[b].ids.length; t++) sum += s.logprobs[t];
        out.push(sum);
      });
      options.onProgress?.(out.length, sequences.length);
    }
    return out;
  }
}
