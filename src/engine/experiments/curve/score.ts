// Scores held-out examples item by item for a learning curve: answer-token loss, token accuracy, and exact match (every
// reference token, its end marker included, is the model's first choice: greedy decoding reproduces the reference).
import type { TokenizedExample } from '../../data/example';
import type { EvalModel, TokenScores } from '../../eval/types';

export interface HeldOutScores {
  nll: number[];
  weight: number[];
  correct: number[];
  targets: number[];
  /** Present when asked for (rows with reference answers). */
  exact?: number[];
}

/** One item's numbers from its teacher-forced scores (logprobs[t] = log p(ids[t] | ids[<t])). */
export function itemScores(example: Pick<TokenizedExample, 'ids' | 'weights'>, scores: TokenScores): { nll: number; weight: number; correct: number; targets: number } {
  let nll = 0;
  let weight = 0;
  let correct = 0;
  let targets = 0;
  for (let t = 1; t < example.ids.length; t++) {
    const w = example.weights[t];
    if (!(w > 0)) continue;
    nll -= w * scores.logprobs[t];
    weight += w;
    targets++;
    if (scores.argmax[t] === example.ids[t]) correct++;
  }
  return { nll, weight, correct, targets };
}

/** Scores every example (batched when the model can), in order; `exact` only when asked. */
export async function scoreHeldOut(model: EvalModel, examples: readonly TokenizedExample[], withExact: boolean, signal?: AbortSignal): Promise<HeldOutScores> {
  const sequences = examples.map((e) => e.ids);
  const all: TokenScores[] = model.scoreTokensBatch ? await model.scoreTokensBatch(sequences, signal) : [];
  if (!model.scoreTokensBatch) for (const ids of sequences) all.push(await model.scoreTokens(ids));
  const out: HeldOutScores = { nll: [], weight: [], correct: [], targets: [] };
  if (withExact) out.exact = [];
  examples.forEach((example, i) => {
    const s = itemScores(example, all[i]);
    out.nll.push(s.nll);
    out.weight.push(s.weight);
    out.correct.push(s.correct);
    out.targets.push(s.targets);
    out.exact?.push(s.targets > 0 && s.correct === s.targets ? 1 : 0);
  });
  return out;
}
