// The engine judge on a loaded model: a LikelihoodJudge whose scorer is the engine's teacher-forced scoreBatch (generate/score.ts).
import { scoreBatch } from '../generate/score';
import type { LoraAdapter } from '../lora/adapter';
import type { CausalLM } from '../models/causal-lm';
import type { Tokenizer } from '../tokenizers/tokenizer';
import { LikelihoodJudge, type LikelihoodScoring } from './engine-judge';
import type { ProducerId } from './port';

export interface EngineJudgeSetup {
  model: CausalLM;
  /** The run's adapter when the judge is a fine-tuned model; null or absent → the base. */
  lora?: LoraAdapter | null;
  tokenizer: Tokenizer;
  producer: ProducerId;
  scoring: LikelihoodScoring;
  answerSuffix?: string;
}

export function engineLikelihoodJudge(setup: EngineJudgeSetup): LikelihoodJudge {
  return new LikelihoodJudge({
    producer: setup.producer,
    encode: (text) => setup.tokenizer.encode(text),
    score: (sequences) => scoreBatch(setup.model, sequences, setup.lora ?? null),
    scoring: setup.scoring,
    answerSuffix: setup.answerSuffix,
    maxPositions: setup.model.dims.maxPositions,
  });
}
