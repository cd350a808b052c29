// Held-out loss and token accuracy of the model being trained (no dropout, no update).
import { tf, type Tensor } from '../backend/tf';
import type { TokenizedExample } from '../data/example';
import { makeBatch } from './batch';
import { batchLoss } from './loss';
import type { TrainingState } from './trainer-setup';

export interface EvalResult {
  loss: number;
  tokenAccuracy: number;
}

export async function evaluateLoss(s: TrainingState, evalExamples: TokenizedExample[]): Promise<EvalResult> {
  const { model, opts, maxSeqLen, lora, halfBase } = s;
  await halfBase?.ready;
  let nllSum: Tensor = tf.scalar(0);
  let correctSum: Tensor = tf.scalar(0);
  let weightSum = 0;
  let targets = 0;
  try {
    for (let i = 0; i < evalExamples.length; i += opts.batchSize) {
      const batch = makeBatch(evalExamples.slice(i, i + opts.batchSize), maxSeqLen);
      const r = batchLoss(model, batch, lora, 1, null);
      const [oldNll, oldCorrect] = [nllSum, correctSum];
      nllSum = tf.add(nllSum, r.loss);
      correctSum = tf.add(correctSum, r.correct);
      [oldNll, oldCorrect, r.loss, r.correct].forEach((t) => t.dispose());
      weightSum += batch.weightSum;
      targets += batch.weights.reduce((n, w) => n + (w > 0 ? 1 : 0), 0);
    }
    const summary = tf.stack([nllSum, correctSum]);
    const [nll, correct] = await summary.data();
    summary.dispose();
    return { loss: weightSum > 0 ? nll / weightSum : 0, tokenAccuracy: targets > 0 ? correct / targets : 0 };
  } finally {
    nllSum.dispose();
    correctSum.dispose();
  }
}
