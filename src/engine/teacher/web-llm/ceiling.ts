// The capability ceiling: a bigger model (any port Teacher, a web-llm one on the Evaluate page) scored zero- and few-shot on the same Tiny World items as the small models.
import { bootstrapScore } from '../../eval/bootstrap';
import type { Shot } from '../../eval/few-shot';
import { exactMatch } from '../../eval/metrics';
import type { EvalSuite, GenerationItem, ItemValue, Probe, Score } from '../../eval/types';
import { WebLlmOutputError } from '../../errors';
import type { PortCallOptions, Teacher } from '../port';

/** The instruction a chat model gets: Tiny World lines are a format of their own, so it is told to complete one, answer only. */
export function ceilingPrompt(prompt: string, shots: readonly Shot[]): string {
  const task = 'Complete the last line. Reply with the completion only: no explanation, no repetition of the line.';
  if (shots.length === 0) return `${task}\n\n${prompt}`;
  const solved = shots.map((s) => s.prompt + s.completion.replace(/\n$/, '')).join('\n');
  return `Solved examples, one per line:\n${solved}\n\n${task}\n\n${prompt}`;
}

/** The answer in a chat model's reply: its first line, with the prompt dropped when the model repeated it. */
export function answerOf(reply: string, prompt: string): string {
  let text = reply.trim().replace(/^```\w*\n?|```$/g, '').trim();
  if (text.startsWith(prompt)) text = text.slice(prompt.length);
  return (text.split('\n')[0] ?? '').trim();
}

export interface CeilingProbe {
  probe: string;
  zeroShot: Score;
  fewShot: Score;
  /** Items the model left unanswered (nothing, or past its time): counted wrong. */
  unanswered: number;
  /** Items left out of the few-shot variant because one of the shots is the item itself. */
  droppedForShots: number;
}

export interface CeilingResult {
  model: string;
  shots: number;
  itemsPerSkill: number;
  probes: CeilingProbe[];
}

/** Bootstrap seed of the intervals (fixed: the same answers give the same interval). */
const BOOTSTRAP_SEED = 2026;

/**
 * Each exact-match probe of `suite`, asked of `teacher` zero-shot and with the skill's shots first; exact match with
 * bootstrap 95% intervals, as the Skills table scores the small models. Other metrics (multiple choice, perplexity) are skipped.
 */
export async function scoreCeiling(teacher: Teacher, suite: EvalSuite, shotsOf: (probe: string) => Shot[], options: PortCallOptions = {}): Promise<CeilingResult> {
  const probes = suite.probes.filter((p): p is Extract<Probe, { metric: 'exact_match' | 'contains' }> => p.metric === 'exact_match');
  // The few-shot variant leaves out an item that is one of its own shots.
  const plans = probes.map((probe) => {
    const shots = shotsOf(probe.name);
    const shotPrompts = new Set(shots.map((s) => s.prompt));
    return { probe, shots, kept: probe.items.filter((i) => !shotPrompts.has(i.prompt)) };
  });
  const total = plans.reduce((n, p) => n + p.probe.items.length + p.kept.length, 0);
  let done = 0;
  let unanswered = 0;
  const ask = async (item: GenerationItem, shots: readonly Shot[]): Promise<ItemValue> => {
    try {
      const [row] = await teacher.generate([ceilingPrompt(item.prompt, shots)], { signal: options.signal });
      return exactMatch(answerOf(row.completion, item.prompt), item.target);
    } catch (e) {
      // An empty or timed-out answer is a wrong answer here, not the end of the evaluation; anything else (a lost device, a stop) is.
      if (!(e instanceof WebLlmOutputError)) throw e;
      unanswered++;
      return { numerator: 0, denominator: 1 };
    } finally {
      options.onProgress?.(++done, total);
    }
  };
  const out: CeilingProbe[] = [];
  let shotCount = 0;
  for (const { probe, shots, kept } of plans) {
    unanswered = 0;
    shotCount = shots.length;
    const zero: ItemValue[] = [];
    for (const item of probe.items) zero.push(await ask(item, []));
    const few: ItemValue[] = [];
    for (const item of kept) few.push(await ask(item, shots));
    out.push({
      probe: probe.name,
      zeroShot: bootstrapScore(zero, { seed: BOOTSTRAP_SEED }),
      fewShot: bootstrapScore(few, { seed: BOOTSTRAP_SEED }),
      unanswered,
      droppedForShots: probe.items.length - kept.length,
    });
  }
  return { model: teacher.id.model, shots: shotCount, itemsPerSkill: probes[0]?.items.length ?? 0, probes: out };
}
