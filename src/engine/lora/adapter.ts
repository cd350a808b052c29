// A LoRA adapter with PEFT semantics: target modules by name, A Kaiming-uniform, B zero, scale α/r (or α/√r), PEFT tensor names.
import type { Variable } from '../backend/tf';
import { variableFrom } from '../backend/variables';
import type { LoraBranch } from '../backend/ops';
import { AdapterMismatchError, ModelConfigError } from '../errors';
import { Rng } from '../rng';
import type { LinearModuleSpec } from '../models/params';
import type { NamedArray, WeightMap } from '../models/config';
import { loraScaling, type LoraConfig } from './config';
import { isTargeted } from './targets';

export { isTargeted };

export interface LoraModule {
  spec: LinearModuleSpec;
  /** [r, in] */
  A: Variable;
  /** [out, r] */
  B: Variable;
}

export const peftPrefix = 'base_model.model.';
export const loraAName = (module: string) => `${peftPrefix}${module}.lora_A.weight`;
export const loraBName = (module: string) => `${peftPrefix}${module}.lora_B.weight`;

function validateConfig(config: LoraConfig): void {
  if (!Number.isInteger(config.r) || config.r <= 0) throw new ModelConfigError(`LoRA rank r must be a positive integer, got ${config.r}.`, 'Pick r such as 4, 8 or 16.');
  if (!(config.lora_alpha > 0)) throw new ModelConfigError(`lora_alpha must be positive, got ${config.lora_alpha}.`, 'A common choice is lora_alpha = 2·r.');
  if (!(config.lora_dropout >= 0 && config.lora_dropout < 1)) throw new ModelConfigError(`lora_dropout must be in [0, 1), got ${config.lora_dropout}.`, 'Use 0 to 0.1.');
}

export class LoraAdapter {
  readonly scale: number;
  /** True while the adapter is merged into the base weights (the forward pass then skips the branch). */
  merged = false;
  private disposed = false;

  private constructor(
    readonly config: LoraConfig,
    readonly modules: Map<string, LoraModule>,
  ) {
    this.scale = loraScaling(config);
  }

  /** Fresh adapter as PEFT initialises it: A ~ U(−1/√in, 1/√in) (Kaiming-uniform, a = √5), B = 0. */
  static create(available: LinearModuleSpec[], config: LoraConfig, seed: number): LoraAdapter {
    validateConfig(config);
    const rng = new Rng(seed);
    const modules = new Map<string, LoraModule>();
    for (const spec of targetedModules(available, config)) {
      const bound = 1 / Math.sqrt(spec.inFeatures);
      const a = new Float32Array(config.r * spec.inFeatures);
      for (let i = 0; i < a.length; i++) a[i] = (2 * rng.next() - 1) * bound;
      modules.set(spec.module, {
        spec,
        A: variableFrom(a, [config.r, spec.inFeatures]),
        B: variableFrom(new Float32Array(spec.outFeatures * config.r), [spec.outFeatures, config.r]),
      });
    }
    return new LoraAdapter(config, modules);
  }

  /** Adapter from PEFT-named weights (an imported adapter_model.safetensors, or a checkpoint). */
  static fromWeights(available: LinearModuleSpec[], config: LoraConfig, weights: WeightMap): LoraAdapter {
    validateConfig(config);
    const modules = new Map<string, LoraModule>();
    for (const spec of targetedModules(available, config)) {
      const a = expectShape(weights, loraAName(spec.module), [config.r, spec.inFeatures]);
      const b = expectShape(weights, loraBName(spec.module), [spec.outFeatures, config.r]);
      modules.set(spec.module, {
        spec,
        A: variableFrom(a.data, a.shape),
        B: variableFrom(b.data, b.shape),
      });
    }
    return new LoraAdapter(config, modules);
  }

  /** The branch for a module, or null when it is not targeted or the adapter is merged. */
  branch(module: string, dropoutSeed: (() => number) | null): LoraBranch | null {
    if (this.merged || this.disposed) return null;
    const m = this.modules.get(module);
    if (!m) return null;
    const rate = dropoutSeed ? this.config.lora_dropout : 0;
    return { A: m.A, B: m.B, scale: this.scale, dropoutRate: rate, dropoutSeed: rate > 0 && dropoutSeed ? dropoutSeed() : undefined };
  }

  /** Trainable variables by PEFT name, in a stable order. */
  namedVariables(): [string, Variable][] {
    const out: [string, Variable][] = [];
    for (const [module, m] of this.modules) out.push([loraAName(module), m.A], [loraBName(module), m.B]);
    return out;
  }

  /** PEFT-named weights, read asynchronously: on WebGPU a synchronous read of a GPU-resident tensor is unreliable. */
  async readWeights(): Promise<WeightMap> {
    const out: WeightMap = new Map();
    for (const [name, v] of this.namedVariables()) out.set(name, { shape: [...v.shape], data: (await v.data()) as Float32Array });
    return out;
  }

  /** PEFT-named weights (what adapter_model.safetensors holds); synchronous, for CPU backends and tests. */
  exportWeights(): WeightMap {
    const out: WeightMap = new Map();
    for (const [name, v] of this.namedVariables()) out.set(name, { shape: [...v.shape], data: v.dataSync() as Float32Array });
    return out;
  }

  get numParams(): number {
    let n = 0;
    for (const m of this.modules.values()) n += m.A.size + m.B.size;
    return n;
  }

  dispose(): void {
    if (this.disposed) return;
    for (const m of this.modules.values()) {
      m.A.dispose();
      m.B.dispose();
    }
    this.disposed = true;
  }
}

function targetedModules(available: LinearModuleSpec[], config: LoraConfig): LinearModuleSpec[] {
  const chosen = available.filter((s) => isTargeted(s.module, config.target_modules));
  if (chosen.length === 0) {
    const names = [...new Set(available.map((s) => s.module.split('.').pop()))].join(', ');
    throw new AdapterMismatchError(`None of the LoRA target modules [${config.target_modules.join(', ')}] exist in this model.`, `This model's linear modules are: ${names}.`);
  }
  return chosen;
}

function expectShape(weights: WeightMap, name: string, shape: number[]): NamedArray {
  const w = weights.get(name);
  if (!w) throw new AdapterMismatchError(`The adapter has no tensor "${name}".`, 'Check that the adapter was trained for this base model with the same target_modules.');
  if (w.shape.join(',') !== shape.join(',')) {
    throw new AdapterMismatchError(`Adapter tensor "${name}" has shape [${w.shape}] but this model needs [${shape}].`, 'The adapter belongs to a different base model or rank.');
  }
  return w;
}
