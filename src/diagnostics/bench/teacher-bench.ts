// Teacher generation's speed (issue 16): the engine Teacher answering many prompts with batched sampling on the bench's trained tiny GPT.
import { EngineTeacher } from '../../engine/teacher/engine-teacher';
import { benchBatch } from './baseline-bench';
import type { EngineSide } from './engine-bench';
import { median } from './measure';
import type { BenchShape } from './shapes';

/** Prompts per call: as many rows as a distillation batch decodes together by default. */
export const TEACHER_PROMPTS = 32;
const TIMED_RUNS = 3;

export interface TeacherMeasurement {
  prompts: number;
  promptTokens: number;
  newTokens: number;
  /** Generated tokens per second over the whole call (prefill included), median of the timed calls. */
  tokensPerSec: number;
  /** The first, untimed call (shader compilation included). */
  firstMs: number;
  callsMs: number[];
}

/**
 * One untimed call, then TIMED_RUNS timed: TEACHER_PROMPTS prompts of the decode prompt's length, each answered with
 * decodeTokens new tokens (no stop id, so every row runs to the end and the token count is exact), temperature 0.8 and
 * top-p 0.95 from per-row seeds, on the engine side's trained model with its LoRA adapter on.
 */
export async function benchTeacher(side: EngineSide, shape: BenchShape, log: (line: string) => void): Promise<TeacherMeasurement> {
  // Prompts as characters, one per token id, so the teacher's string interface carries the bench's ids unchanged.
  const rows = benchBatch({ ...shape, batch: TEACHER_PROMPTS, seq: shape.decodePrompt - 1 }, 29);
  const prompts = rows.map((ids) => String.fromCodePoint(...ids.map((id) => 0x100 + id)));
  const teacher = new EngineTeacher({
    model: side.model,
    lora: side.lora,
    producer: { engine: 'engine', model: shape.model, sampling: { temperature: 0.8, topP: 0.95, maxNewTokens: shape.decodeTokens }, seed: 1 },
    encode: (text) => [...text].map((c) => c.codePointAt(0)! - 0x100),
    decode: (ids) => String.fromCodePoint(...ids.map((id) => 0x100 + id)),
    allowEmpty: true,
    maxBatch: TEACHER_PROMPTS,
  });
  const call = async () => {
    const t0 = performance.now();
    const out = await teacher.generate(prompts);
    const ms = performance.now() - t0;
    const tokens = out.reduce((n, c) => n + [...c.completion].length, 0);
    if (tokens !== TEACHER_PROMPTS * shape.decodeTokens) throw new Error(`teacher bench: ${tokens} tokens generated, expected ${TEACHER_PROMPTS * shape.decodeTokens}`);
    return ms;
  };
  const firstMs = await call();
  const callsMs: number[] = [];
  for (let i = 0; i < TIMED_RUNS; i++) callsMs.push(await call());
  const tokensPerSec = (TEACHER_PROMPTS * shape.decodeTokens) / (median(callsMs) / 1000);
  log(`teacher: ${TEACHER_PROMPTS} prompts × ${shape.decodeTokens} tokens, ${callsMs.map((ms) => ms.toFixed(0)).join(' ')} ms → ${tokensPerSec.toFixed(1)} tokens/s`);
  return { prompts: TEACHER_PROMPTS, promptTokens: shape.decodePrompt - 1, newTokens: shape.decodeTokens, tokensPerSec, firstMs, callsMs };
}
