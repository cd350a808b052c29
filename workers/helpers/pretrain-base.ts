// A pretraining run's model and data: a Tiny World-shaped GPT-2 initialised from the recipe's seed, and the mixture stream.
import type { TokenizedExample } from '../../src/engine/data/example';
import type { Gpt2Config } from '../../src/engine/models/config';
import { buildCharTokenizerJson, loadTokenizer, type Tokenizer, type TokenizerJson } from '../../src/engine/tokenizers';
import type { ExampleStream } from '../../src/engine/train/trainer';
import { pretrainBatch, PRETRAIN_SKILLS, WORLD_CHARS } from '../../src/engine/world';
import type { PretrainRecipe, RunRecord } from '../../src/contract';
import type { RunBase } from './base-model';
import { modelSetupOf } from './model-setup';

export { PRETRAIN_SKILLS };

/** The Tiny World tokenizer: <pad>, <eos>, <unk>, then WORLD_CHARS (the same file as the shipped models'). */
export function worldTokenizerJson(): TokenizerJson {
  return buildCharTokenizerJson(WORLD_CHARS);
}

/** config.json of a pretrained Tiny World model, shaped like public/models/tiny-world-800k/config.json. */
export function worldModelConfig(run: Pick<RunRecord, 'model'>, recipe: PretrainRecipe, vocabSize: number): Gpt2Config & Record<string, unknown> {
  return {
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    vocab_size: vocabSize,
    n_positions: recipe.seqLen,
    n_ctx: recipe.seqLen,
    n_embd: run.model.n_embd,
    n_layer: run.model.n_layer,
    n_head: run.model.n_head,
    n_inner: null,
    activation_function: 'gelu_new',
    layer_norm_epsilon: 1e-5,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    initializer_range: 0.02,
    tie_word_embeddings: true,
    bos_token_id: 1,
    eos_token_id: 1,
    pad_token_id: 0,
    torch_dtype: 'float32',
  };
}

/** Fresh packed mixture sequences for every (step, micro-batch), as token ids with loss on every next character. */
export function mixtureStream(recipe: PretrainRecipe, batchSize: number, tokenizer: Tokenizer): ExampleStream {
  return {
    stream(step, micro): TokenizedExample[] {
      return pretrainBatch({ seed: recipe.seed, step, micro, batchSize, seqLen: recipe.seqLen }).map((sequence, i) => {
        const ids = tokenizer.encode(sequence.text);
        return { id: `mix-${step}.${micro}.${i}`, ids, weights: ids.map(() => 1) };
      });
    },
  };
}

export interface PretrainBase {
  base: RunBase;
  tokenizer: Tokenizer;
  stream: ExampleStream;
  config: Gpt2Config & Record<string, unknown>;
}

export function pretrainBaseOf(run: RunRecord & { pretrain: PretrainRecipe }): PretrainBase {
  const tokenizerJson = worldTokenizerJson();
  const tokenizer = loadTokenizer(tokenizerJson);
  const config = worldModelConfig(run, run.pretrain, tokenizer.vocabSize);
  const setup = { ...modelSetupOf(run), config, initSeed: run.pretrain.seed, method: 'full' as const };
  return {
    base: {
      setup,
      tokenizer,
      context: run.pretrain.seqLen,
      encode: () => {
        throw new Error('A pretraining run has no dataset rows to encode.');
      },
    },
    tokenizer,
    stream: mixtureStream(run.pretrain, run.hyper.batchSize, tokenizer),
    config,
  };
}
