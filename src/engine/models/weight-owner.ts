// The weights a model owns as tfjs variables under their Hugging Face names: counting, listing and looking them up.
import type { Variable } from '../backend/tf';
import { ShapeMismatchError } from '../errors';

/** What CausalLM and BertModel share about their weights: one map by HF name, in the model's canonical order. */
export class WeightOwner {
  constructor(protected readonly variables: Map<string, Variable>) {}

  get numParams(): number {
    let n = 0;
    for (const v of this.variables.values()) n += v.size;
    return n;
  }

  /** Weights by HF name, in the model's canonical order. */
  namedVariables(): [string, Variable][] {
    return [...this.variables.entries()];
  }

  /** One weight by HF name (merge/unmerge writes into it). */
  variable(name: string): Variable {
    const v = this.variables.get(name);
    if (!v) throw new ShapeMismatchError(`The model has no weight "${name}".`, 'Check the tensor name.');
    return v;
  }
}
