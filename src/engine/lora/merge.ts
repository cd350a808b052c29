// Merge a LoRA adapter into the base weights for inference (W += s·ΔW) and take it out again (W −= s·ΔW).
import { tf, type Variable } from '../backend/tf';
import type { LoraAdapter } from './adapter';

/** What merging needs of a model: its weights by HF name (CausalLM and BertModel both qualify). */
export interface MergeTarget {
  variable(name: string): Variable;
}

function applyDelta(model: MergeTarget, adapter: LoraAdapter, sign: 1 | -1): void {
  for (const [module, m] of adapter.modules) {
    const weight = model.variable(`${module}.weight`);
    const next = tf.tidy(() => {
      // ΔW = B·A [out, in] for nn.Linear; its transpose Aᵀ·Bᵀ [in, out] for GPT-2's Conv1D.
      const delta = m.spec.layout === 'out_in' ? tf.matMul(m.B, m.A) : tf.matMul(m.A, m.B, true, true);
      return tf.add(weight, tf.mul(delta, sign * adapter.scale));
    });
    weight.assign(next);
    next.dispose();
  }
}

/** Folds the adapter into the model's weights; the adapter's branch is then skipped until unmerged. */
export function mergeLora(model: MergeTarget, adapter: LoraAdapter): void {
  if (adapter.merged) return;
  applyDelta(model, adapter, 1);
  adapter.merged = true;
}

/** Restores the base weights (up to float32 rounding) and re-enables the adapter's branch. */
export function unmergeLora(model: MergeTarget, adapter: LoraAdapter): void {
  if (!adapter.merged) return;
  applyDelta(model, adapter, -1);
  adapter.merged = false;
}
