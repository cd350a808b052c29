// Runs the step summary on the active backend for gradient sizes around its workgroup (tails) and a large one, against the float64 reference.
import { tf } from '../../tf';
import { pseudoRandom, read, relativeError, type KernelCaseCheck } from '../check-harness';
import { stepSummary } from './step-summary';
import { stepSummaryReference } from './step-summary-reference';

/** 256 is the workgroup: one short of it, exactly it, one past it, and a vector many times its size. */
export const STEP_SUMMARY_SIZES = [1, 255, 256, 257, 70_001];

export async function checkStepSummary(sizes = STEP_SUMMARY_SIZES): Promise<KernelCaseCheck[]> {
  const out: KernelCaseCheck[] = [];
  for (const size of sizes) {
    const data = pseudoRandom(size, size);
    const want = stepSummaryReference(data, 2.5, 17);
    const g = tf.tensor1d(data);
    const [loss, correct] = [tf.scalar(2.5), tf.scalar(17)];
    const summary = stepSummary(g, loss, correct, true);
    const got = await read(summary);
    tf.dispose([g, loss, correct, summary]);
    out.push({
      kernel: 'step-summary',
      shape: `P${size}`,
      errors: { loss: relativeError([got[0]], [want[0]]), sumSquares: relativeError([got[1]], [want[1]]), correct: relativeError([got[2]], [want[2]]) },
    });
  }
  return out;
}
