// A float64 reference of TRL's sigmoid DPO loss (cDPO label smoothing), its gradient w.r.t. the policy log-probs, and the reward metrics.

export interface DpoReference {
  /** Mean over pairs of −(1 − ε)·log σ(z) − ε·log σ(−z), z = β·((πc − πr) − (refc − refr)). */
  loss: number;
  /** ∂loss/∂policy[i] for the [2P] policy log-probs (chosen first): ±β·(σ(z) − (1 − ε)) / P. */
  gradPolicy: number[];
  rewardChosen: number;
  rewardRejected: number;
  rewardAccuracy: number;
  rewardMargin: number;
}

/** log σ(x) without overflow: −log(1 + e^−x). */
function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** policy and reference: [2P] summed completion log-probs, the P chosen sequences first, then the P rejected. */
export function dpoReference(policy: readonly number[], reference: readonly number[], beta: number, labelSmoothing: number): DpoReference {
  const P = policy.length / 2;
  let loss = 0;
  let chosen = 0;
  let rejected = 0;
  let accurate = 0;
  const gradPolicy = new Array<number>(2 * P).fill(0);
  for (let i = 0; i < P; i++) {
    const z = beta * (policy[i] - policy[P + i] - (reference[i] - reference[P + i]));
    loss += -(1 - labelSmoothing) * logSigmoid(z) - labelSmoothing * logSigmoid(-z);
    const dz = (sigmoid(z) - (1 - labelSmoothing)) / P; // ∂(loss / P)/∂z
    gradPolicy[i] = beta * dz;
    gradPolicy[P + i] = -beta * dz;
    const rc = beta * (policy[i] - reference[i]);
    const rr = beta * (policy[P + i] - reference[P + i]);
    chosen += rc;
    rejected += rr;
    if (rc > rr) accurate++;
  }
  return { loss: loss / P, gradPolicy, rewardChosen: chosen / P, rewardRejected: rejected / P, rewardAccuracy: accurate / P, rewardMargin: (chosen - rejected) / P };
}
