// Checks a checkpoint's tensors against config.json before any GPU memory is spent: names present, shapes right.
import { ShapeMismatchError } from '../errors';
import type { ModelConfig } from '../models/config';
import { modelDims } from '../models/dims';
import { paramSpecs } from '../models/params';
import { sizeFields } from './architecture';

/** Shapes by tensor name, as a safetensors header gives them. */
export type ShapeMap = Map<string, number[]>;

/** The checkpoint's own name for a parameter: Hub GPT-2 files drop the "transformer." prefix. */
export function checkpointNameOf(shapes: ShapeMap, name: string): string | null {
  if (shapes.has(name)) return name;
  if (name.startsWith('transformer.') && shapes.has(name.slice('transformer.'.length))) return name.slice('transformer.'.length);
  return null;
}

function explainMismatch(config: ModelConfig, name: string, actual: number[], expected: number[]): string {
  const fields = sizeFields(config);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] === expected[i]) continue;
    const field = fields.find(([, value]) => value === expected[i] || value * 3 === expected[i] || value * 4 === expected[i]);
    if (field) return `config.json says ${field[0]} ${field[1]} but ${name} is [${actual.join(', ')}] (expected [${expected.join(', ')}]).`;
  }
  return `${name} is [${actual.join(', ')}] but config.json needs [${expected.join(', ')}].`;
}

/** Throws ShapeMismatchError naming the first missing tensor or wrong shape (and the config field behind it). */
export function checkWeightShapes(config: ModelConfig, shapes: ShapeMap): void {
  const specs = paramSpecs(modelDims(config));
  const missing: string[] = [];
  for (const spec of specs) {
    const stored = checkpointNameOf(shapes, spec.name);
    if (!stored) {
      missing.push(spec.name);
      continue;
    }
    const actual = shapes.get(stored) as number[];
    if (actual.length !== spec.shape.length || actual.some((d, i) => d !== spec.shape[i])) {
      throw new ShapeMismatchError(explainMismatch(config, stored, actual, spec.shape), 'config.json and the weights come from different models; download both from the same repository and revision.');
    }
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ` and ${missing.length - 3} more` : '');
    throw new ShapeMismatchError(`The weights lack ${missing.length} tensor(s) config.json needs: ${shown}.`, 'The checkpoint is incomplete or belongs to another architecture; download it again.');
  }
}
