// The port's Judge on a web-llm engine: pairwise verdicts asked in both orders (position bias measured), rubric scores parsed from text.
import { WebLlmOutputError } from '../../errors';
import type { Judge, PairwiseJudgement, ProducerId, RubricScore } from '../port';
import { ask, promptLabel, requestOf, type ChatEngine } from './ask';
import { webLlmProducer, type WebLlmCallOptions, type WebLlmProducerSettings } from './teacher';
import { parseRubricScore, parseVerdict } from './verdict';

/** The pairwise question: the two answers under neutral labels, asked for one bracketed letter (MT-Bench's judge format). */
export function pairwisePrompt(prompt: string, first: string, second: string): string {
  return [
    'You are judging two answers to the same question. Judge correctness first, then helpfulness; ignore length and order.',
    `[Question]\n${prompt}`,
    `[Answer A]\n${first}`,
    `[Answer B]\n${second}`,
    'Reply with your verdict only: [[A]] if answer A is better, [[B]] if answer B is better, [[C]] for a tie.',
  ].join('\n\n');
}

/** The rubric question; the reply is asked for as "[[n]]" on the rubric's scale. */
export function rubricPrompt(prompt: string, answer: string, rubric: string, min: number, max: number): string {
  return [
    `You are grading an answer against a rubric, on a scale from ${min} to ${max}.`,
    `[Rubric]\n${rubric}`,
    `[Question]\n${prompt}`,
    `[Answer]\n${answer}`,
    `Reply with the score only, as [[n]] with n from ${min} to ${max}.`,
  ].join('\n\n');
}

/** A verdict given with the answers swapped, mapped back to the original labels. */
export function unswap(verdict: 'A' | 'B' | 'tie'): 'A' | 'B' | 'tie' {
  return verdict === 'A' ? 'B' : verdict === 'B' ? 'A' : 'tie';
}

/** Both orders combined: only a verdict both orders agree on wins; anything else is a tie. */
export function combine(firstOrder: 'A' | 'B' | 'tie', swappedOrder: 'A' | 'B' | 'tie'): Pick<PairwiseJudgement, 'consistent' | 'winner'> {
  const consistent = firstOrder === swappedOrder;
  return { consistent, winner: consistent ? firstOrder : 'tie' };
}

export interface WebLlmJudgeOptions {
  /** The rubric's scale; 1–5 unless said. */
  scale?: { min: number; max: number };
  timeoutMs?: number;
}

export class WebLlmJudge implements Judge {
  readonly id: ProducerId;
  private readonly scale: { min: number; max: number };
  constructor(
    private readonly engine: ChatEngine,
    settings: WebLlmProducerSettings,
    private readonly options: WebLlmJudgeOptions = {},
  ) {
    this.id = webLlmProducer(settings);
    this.scale = options.scale ?? { min: 1, max: 5 };
  }

  private async answer(content: string, prompt: string, index: number, seed: number, call: WebLlmCallOptions): Promise<string> {
    const { text } = await ask(this.engine, requestOf(content, this.id, seed), {
      producer: this.id,
      prompt,
      index,
      signal: call.signal,
      timeoutMs: call.timeoutMs ?? this.options.timeoutMs,
    });
    return text;
  }

  /** Item i is asked with seed + 2i (given order) and seed + 2i + 1 (swapped). A verdict it cannot read counts as a tie, its raw text kept. */
  async pairwise(items: readonly { prompt: string; a: string; b: string }[], call: WebLlmCallOptions = {}): Promise<PairwiseJudgement[]> {
    const out: PairwiseJudgement[] = [];
    for (const [index, { prompt, a, b }] of items.entries()) {
      const rawFirst = await this.answer(pairwisePrompt(prompt, a, b), prompt, index, this.id.seed + 2 * index, call);
      const rawSwapped = await this.answer(pairwisePrompt(prompt, b, a), prompt, index, this.id.seed + 2 * index + 1, call);
      if (rawFirst.trim() === '' && rawSwapped.trim() === '') {
        throw new WebLlmOutputError(`${this.id.model} returned nothing when judging item ${index + 1} ${promptLabel(prompt)}.`, 'Raise the max tokens (a verdict needs about 8), or pick another judge model.');
      }
      const firstOrder = parseVerdict(rawFirst) ?? 'tie';
      const swappedOrder = unswap(parseVerdict(rawSwapped) ?? 'tie');
      out.push({ firstOrder, swappedOrder, ...combine(firstOrder, swappedOrder), producer: this.id, raw: { firstOrder: rawFirst, swappedOrder: rawSwapped } });
      call.onProgress?.(index + 1, items.length);
    }
    return out;
  }

  /** A reply with no number on the rubric's scale is an error naming the item (a missing score cannot be averaged). */
  async rubric(items: readonly { prompt: string; answer: string }[], rubric: string, call: WebLlmCallOptions = {}): Promise<RubricScore[]> {
    const { min, max } = this.scale;
    const out: RubricScore[] = [];
    for (const [index, { prompt, answer }] of items.entries()) {
      const raw = await this.answer(rubricPrompt(prompt, answer, rubric, min, max), prompt, index, this.id.seed + index, call);
      const score = parseRubricScore(raw, min, max);
      if (score === undefined) {
        throw new WebLlmOutputError(
          `${this.id.model} gave no score from ${min} to ${max} for item ${index + 1} ${promptLabel(prompt)}${raw.trim() === '' ? ' (it returned nothing)' : `; it said: ${promptLabel(raw)}`}.`,
          'Raise the max tokens, make the rubric ask for one number, or pick a larger judge model.',
        );
      }
      out.push({ score, raw, producer: this.id });
      call.onProgress?.(index + 1, items.length);
    }
    return out;
  }
}
