// Merged full weights (W + s·ΔW for every adapted module) as safetensors under the base checkpoint's own names.
import { loraAName, loraBName, type LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import type { WeightMap } from '../models/config';
import { writeSafetensors } from '../io';

/**
 * Adds the adapter's delta to a copy of the base weights, in float64 accumulation: ΔW = B·A [out, in] for
 * nn.Linear, its transpose [in, out] for GPT-2's Conv1D. `baseNames` are the tensor names of the original
 * checkpoint: a Hub GPT-2 file names "h.0.attn.c_attn.weight" what the model calls "transformer.h.0…".
 */
export async function mergedWeights(
  model: Pick<CausalLM, 'readWeights'>,
  adapter: LoraAdapter | null,
  baseNames?: Iterable<string>,
  onModule?: (done: number, total: number) => void,
): Promise<WeightMap> {
  const weights = await model.readWeights();
  const deltas = adapter ? await adapter.readWeights() : new Map();
  const modules = adapter ? [...adapter.modules] : [];
  const s = adapter?.scale ?? 0;
  const r = adapter?.config.r ?? 0;
  for (const [index, [module, m]] of modules.entries()) {
    const w = weights.get(`${module}.weight`)!;
    const A = deltas.get(loraAName(module))!.data; // [r, in]
    const B = deltas.get(loraBName(module))!.data; // [out, r]
    const { inFeatures: nIn, outFeatures: nOut } = m.spec;
    const merged = new Float32Array(w.data);
    for (let o = 0; o < nOut; o++) {
      for (let i = 0; i < nIn; i++) {
        let delta = 0;
        for (let k = 0; k < r; k++) delta += B[o * r + k] * A[k * nIn + i];
        const at = m.spec.layout === 'out_in' ? o * nIn + i : i * nOut + o;
        merged[at] = w.data[at] + s * delta;
      }
    }
    weights.set(`${module}.weight`, { shape: w.shape, data: merged });
    onModule?.(index + 1, modules.length);
  }
  if (!baseNames) return weights;
  const names = new Set(baseNames);
  const renamed: WeightMap = new Map();
  for (const [name, value] of weights) {
    const stripped = name.startsWith('transformer.') ? name.slice('transformer.'.length) : name;
    renamed.set(!names.has(name) && names.has(stripped) ? stripped : name, value);
  }
  return renamed;
}

/**
 * A complete Hub-layout folder of the merged model: config, tokenizer files and model.safetensors (float32).
 * With `adapter` null the model's own weights are written (a fully fine-tuned model).
 */
export async function mergedCheckpointFiles(
  loaded: { config: object; tokenizerJson: object; tokenizerConfig: object | null; generationConfig: object | null; weights: WeightMap },
  model: CausalLM,
  adapter: LoraAdapter | null,
  onModule?: (done: number, total: number) => void,
): Promise<Record<string, Uint8Array>> {
  const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2) + '\n');
  const files: Record<string, Uint8Array> = {
    'config.json': json({ ...loaded.config, torch_dtype: 'float32' }),
    'tokenizer.json': json(loaded.tokenizerJson),
    'model.safetensors': writeSafetensors(await mergedWeights(model, adapter, loaded.weights.keys(), onModule), { format: 'pt' }),
  };
  if (loaded.tokenizerConfig) files['tokenizer_config.json'] = json(loaded.tokenizerConfig);
  if (loaded.generationConfig) files['generation_config.json'] = json(loaded.generationConfig);
  return files;
}
