// Held-out evaluation job: loss and token accuracy of base and fine-tuned.

export interface EvaluateResult {
  examples: number;
  base: { loss: number; tokenAccuracy: number };
  tuned: { loss: number; tokenAccuracy: number } | null;
  tunedStep: number | null;
}
