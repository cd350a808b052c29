// The base checkpoint a PEFT export or import refers to: the loaded Hub/local model, or a Tiny World base built from its files.
import { EngineUnavailableError, RunExportError } from '../../src/engine/errors';
import type { LoadedCheckpoint } from '../../src/engine/hub';
import { createModel, type CausalLM } from '../../src/engine/models/causal-lm';
import { modelDims } from '../../src/engine/models/dims';
import type { TinyModelSpec } from '../../src/contract';
import { LOADED_MAX_SEQ_LEN, shippedBase } from './base-model';
import { loadedModel } from './loaded-model';

export interface PeftBase {
  /** Config, weights, tokenizer files and identity, as merged exports and lineage need them. */
  checkpoint: Pick<LoadedCheckpoint, 'config' | 'weights' | 'tokenizerJson' | 'tokenizerConfig' | 'generationConfig' | 'identity'>;
  model: CausalLM;
  /** The longest training sequence on this base (the TRL export repeats it). */
  maxSeqLen: number;
  /** Frees the model when it was built for this job (Tiny World); the loaded model stays for later jobs. */
  release(): void;
}

/**
 * The base of `spec`. A loaded model must be the one in the worker now (same weights' sha-256); a Tiny World base
 * (shipped, or pretrained in this browser) is an ordinary GPT-2 checkpoint, built here from its files.
 */
export async function peftBaseOf(spec: TinyModelSpec): Promise<PeftBase> {
  if (spec.kind === 'loaded') {
    const loaded = loadedModel();
    if (!loaded || loaded.checkpoint.identity.weightsSha256 !== spec.weightsSha256) {
      throw new EngineUnavailableError(`The base ${spec.baseId ?? 'model'} is not the model loaded now.`, `Load ${spec.baseId ?? 'that model'} again on the Models page (“Load again”; for local files, drop them again), then try again.`);
    }
    return { checkpoint: loaded.checkpoint, model: loaded.model, maxSeqLen: Math.min(LOADED_MAX_SEQ_LEN, loaded.model.dims.maxPositions), release: () => {} };
  }
  if (spec.kind === 'tiny-world') {
    const base = await shippedBase(spec.baseId ?? 'tiny-world-800k');
    const model = createModel(base.config, base.weights);
    return {
      checkpoint: { config: base.config, weights: base.weights, tokenizerJson: base.tokenizerJson, tokenizerConfig: null, generationConfig: null, identity: base.identity },
      model,
      maxSeqLen: modelDims(base.config).maxPositions,
      release: () => model.dispose(),
    };
  }
  throw new RunExportError(
    `${spec.name} is initialised from a seed with this dataset's characters as its vocabulary: it has no checkpoint or tokenizer.json for PEFT, merged weights or TRL to refer to.`,
    'Fine-tune a Tiny World base, or a model loaded from the Hub or local files, to export or import adapters.',
  );
}
