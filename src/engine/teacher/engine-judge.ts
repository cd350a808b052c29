// The engine judge: a model TuneLab runs, judging as a likelihood judge (it prefers the answer it finds more likely given the prompt).
//
// Tiny models cannot follow a judging instruction ("which answer is better?"), so the engine judge does not pretend
// to: it scores each answer by its teacher-forced log-likelihood under the model, log p(answer + suffix | prompt),
// and prefers the higher. Two scorings, each a measurable bias of its own: 'sum' (the answer's total log-probability,
// which favours short answers: every extra token can only lower it) and 'mean' (per answer token, which does not).
// The pairwise verdict is still asked in both orders, as the port requires; for a likelihood judge the scores do not
// depend on the order the answers are shown in, so the two orders agree by construction (an instruction-following
// judge, such as a web-llm model, is where the swap measures something). No rubric: a log-likelihood is not a grade on
// a rubric the judge was asked to apply, and mapping it onto a 1–5 scale would invent a meaning it does not have.
import { JudgeInputError, JobCancelledError } from '../errors';
import type { Judge, PairwiseJudgement, PortCallOptions, ProducerId } from './port';

/** 'sum': Σ log p over the answer's tokens; 'mean': that sum ÷ the number of answer tokens. */
export type LikelihoodScoring = 'sum' | 'mean';

/** Per-token teacher-forced log-probabilities: logprobs[t] = log p(ids[t] | ids[<t]) for t ≥ 1 (index 0 unused). */
export type SequenceScorer = (sequences: number[][], signal?: AbortSignal) => Promise<{ logprobs: ArrayLike<number> }[]>;

export interface LikelihoodJudgeOptions {
  producer: ProducerId;
  /** The judge model's tokenizer (plain encode, no added specials). */
  encode: (text: string) => number[];
  score: SequenceScorer;
  scoring: LikelihoodScoring;
  /** Appended to every answer before scoring (Tiny World's '\n' stop), so an answer is scored as a finished answer, not as a prefix of a longer one. */
  answerSuffix?: string;
  /** The judge model's context: a longer prompt is cut from the left to leave room for the answer. */
  maxPositions?: number;
  /** Sequences per scorer call (default 32). */
  batchSize?: number;
}

/** One answer's log-likelihood given its prompt. */
export interface AnswerLikelihood {
  /** Σ log p(answer token | everything before it), in nats. */
  sum: number;
  /** Answer tokens scored (the suffix included). */
  tokens: number;
  /** sum ÷ tokens. */
  mean: number;
}

/** A likelihood judge's verdict, with the two scores it came from (in its scoring's units). */
export interface LikelihoodJudgement extends PairwiseJudgement {
  scoreA: number;
  scoreB: number;
}

/** Which of two scores wins: the higher, or a tie when equal. */
function verdict(first: number, second: number): 'first' | 'second' | 'tie' {
  return first > second ? 'first' : second > first ? 'second' : 'tie';
}

export class LikelihoodJudge implements Judge {
  readonly id: ProducerId;

  constructor(private readonly options: LikelihoodJudgeOptions) {
    this.id = options.producer;
  }

  get scoring(): LikelihoodScoring {
    return this.options.scoring;
  }

  /** log p(answer + suffix | prompt) of every item, in order. */
  async likelihoods(items: readonly { prompt: string; answer: string }[], options: PortCallOptions = {}): Promise<AnswerLikelihood[]> {
    const { encode, maxPositions, answerSuffix = '' } = this.options;
    const batchSize = this.options.batchSize ?? 32;
    const encoded = items.map((item, i) => {
      const answer = encode(item.answer + answerSuffix);
      if (answer.length === 0) throw new JudgeInputError(`Answer ${i + 1} is empty, and the judge has no suffix to score in its place.`, 'Give the judge an answer suffix (the stop string) or leave empty answers out.');
      let prompt = encode(item.prompt);
      if (prompt.length === 0) throw new JudgeInputError(`Prompt ${i + 1} is empty: a likelihood judge scores an answer given its prompt.`, 'Leave rows without a prompt out of the judged set.');
      if (maxPositions !== undefined) {
        const room = maxPositions - answer.length;
        if (room < 1) throw new JudgeInputError(`Answer ${i + 1} has ${answer.length} tokens; the judge's context is ${maxPositions}, which leaves no room for its prompt.`, 'Judge shorter answers, or use a judge model with a longer context.');
        if (prompt.length > room) prompt = prompt.slice(prompt.length - room);
      }
      return { ids: [...prompt, ...answer], from: prompt.length };
    });
    const out: AnswerLikelihood[] = [];
    for (let start = 0; start < encoded.length; start += batchSize) {
      if (options.signal?.aborted) throw new JobCancelledError('Judging was cancelled.', 'Start it again when ready.');
      const batch = encoded.slice(start, start + batchSize);
      const scores = await this.options.score(batch.map((e) => e.ids), options.signal);
      batch.forEach((e, b) => {
        let sum = 0;
        for (let t = e.from; t < e.ids.length; t++) sum += scores[b].logprobs[t];
        const tokens = e.ids.length - e.from;
        out.push({ sum, tokens, mean: sum / tokens });
      });
      options.onProgress?.(out.length, encoded.length);
    }
    return out;
  }

  /** Each pair judged by likelihood, in both orders (which agree by construction for this judge, and are reported anyway). */
  async pairwise(items: readonly { prompt: string; a: string; b: string }[], options: PortCallOptions = {}): Promise<LikelihoodJudgement[]> {
    const total = items.length * 2;
    const scored = await this.likelihoods(
      items.flatMap((item) => [
        { prompt: item.prompt, answer: item.a },
        { prompt: item.prompt, answer: item.b },
      ]),
      { signal: options.signal, onProgress: options.onProgress && ((done) => options.onProgress!(Math.floor(done / 2), total / 2)) },
    );
    return items.map((item, i) => {
      const [a, b] = [scored[2 * i], scored[2 * i + 1]].map((s) => (this.options.scoring === 'sum' ? s.sum : s.mean));
      // Identical answers are a tie whatever rounding the two scorings of one text went through.
      const same = item.a === item.b;
      const shown = same ? 'tie' : verdict(a, b); // A shown first
      const swapped = same ? 'tie' : verdict(b, a); // B shown first, mapped back below
      const firstOrder = shown === 'first' ? 'A' : shown === 'second' ? 'B' : 'tie';
      const swappedOrder = swapped === 'first' ? 'B' : swapped === 'second' ? 'A' : 'tie';
      const consistent = firstOrder === swappedOrder;
      return { firstOrder, swappedOrder, consistent, winner: consistent ? firstOrder : 'tie', producer: this.id, scoreA: a, scoreB: b };
    });
  }
}
