// Distillation on any port Teacher asked one prompt at a time (web-llm's): every answer kept as it comes, each with its own seed; a cancel or failure returns what came back, as a draft, with the error.
import { JobCancelledError, WebLlmOutputError } from '../errors';
import { answerOf, ceilingPrompt } from './web-llm/ceiling';
import type { Shot } from '../eval/few-shot';
import type { Teacher } from './port';

export interface TeacherRunItem {
  prompt: string;
  reference?: string;
  sourceRowId?: string;
}

/** One answered prompt; the same shape as the distillation job's rows. */
export interface TeacherRunRow {
  /** The prompt's position in its source. */
  index: number;
  prompt: string;
  completion: string;
  finishReason: 'stop' | 'length' | 'context';
  reference?: string;
  sourceRowId?: string;
  seed: number;
}

export interface TeacherRunOptions {
  /** Source positions already answered (a resumed draft): not asked again. */
  skip?: readonly number[];
  /** Tiny World lines to a chat model: the prompt is put as an instruction after these solved examples, the answer read from the reply's first line. */
  tinyWorldShots?: readonly Shot[];
  /** Keep an empty or timed-out answer as '' (a comparison counts it wrong) instead of stopping there. */
  allowEmpty?: boolean;
  signal?: AbortSignal;
  /** After each answered prompt: done (skipped ones included) of total, and the tokens generated so far. */
  onRow?: (row: TeacherRunRow, done: number, total: number, tokens: number) => void;
  /** A completion's length in tokens when the engine reports none. */
  countTokens?: (completion: string) => number;
}

export interface TeacherRunOutcome {
  /** 'complete': every prompt has a row; otherwise `rows` holds what came back first (a draft). */
  status: 'complete' | 'cancelled' | 'failed';
  /** Why it stopped (a named error), when it failed. */
  error?: unknown;
  /** The rows answered by this call, in source order. */
  rows: TeacherRunRow[];
  tokens: number;
}

/** The instruction wrapping of Tiny World prompts, as recorded in the producer id. */
export function tinyWorldPromptFormat(shots: number): string {
  return shots > 0 ? `Tiny World line as an instruction after ${shots} solved example${shots === 1 ? '' : 's'} of its skill; the answer is the reply's first line` : "Tiny World line as an instruction; the answer is the reply's first line";
}

/**
 * Asks `teacher` each item not skipped, in order, one prompt per call with its source position as its index (so its
 * seed is the same in a first run and in a resumed one). Never throws for the teacher's own failures: they end the run
 * with what came back so far, and the error.
 */
export async function runTeacher(teacher: Teacher, items: readonly TeacherRunItem[], options: TeacherRunOptions = {}): Promise<TeacherRunOutcome> {
  const { tinyWorldShots, signal } = options;
  const skip = new Set(options.skip ?? []);
  const rows: TeacherRunRow[] = [];
  let tokens = 0;
  let done = [...skip].filter((i) => i >= 0 && i < items.length).length;
  try {
    for (const [index, item] of items.entries()) {
      if (skip.has(index)) continue;
      if (signal?.aborted) throw new JobCancelledError('Stopped by you.');
      const asked = tinyWorldShots ? ceilingPrompt(item.prompt, tinyWorldShots) : item.prompt;
      let completion = '';
      let finishReason: TeacherRunRow['finishReason'] = 'stop';
      let seed = teacher.id.seed + index;
      try {
        const [answer] = await teacher.generate([asked], { signal, indices: [index] });
        completion = tinyWorldShots ? answerOf(answer.completion, item.prompt) : answer.completion;
        finishReason = answer.finishReason;
        seed = answer.producer.seed;
        tokens += answer.tokens ?? options.countTokens?.(answer.completion) ?? 0;
      } catch (e) {
        if (!(options.allowEmpty && e instanceof WebLlmOutputError)) throw e;
      }
      if (completion.trim() === '' && !options.allowEmpty) {
        // The reply had text but no answer in it (a chat model's preamble with the answer elsewhere).
        throw new WebLlmOutputError(`${teacher.id.model} gave no answer line for prompt ${index + 1} ("${item.prompt.slice(0, 60)}").`, 'Raise the max tokens or add solved examples and generate again, or save the rows so far as a draft dataset.');
      }
      const row: TeacherRunRow = { index, prompt: item.prompt, completion, finishReason, seed, ...(item.reference !== undefined ? { reference: item.reference } : {}), ...(item.sourceRowId !== undefined ? { sourceRowId: item.sourceRowId } : {}) };
      rows.push(row);
      options.onRow?.(row, ++done, items.length, tokens);
    }
    return { status: 'complete', rows, tokens };
  } catch (error) {
    if (error instanceof JobCancelledError || signal?.aborted) return { status: 'cancelled', rows, tokens };
    return { status: 'failed', error, rows, tokens };
  }
}
