// Job: stream the base model's and the fine-tuned model's answers to one prompt, with the same sampling seed.
import type { GenerateInput, GenerateProgress, GenerateResult } from '../../src/contract';
import { chatRendererFor } from '../../src/engine/data/chat-render';
import type { Tokenizer } from '../../src/engine/tokenizers';
import { loadRun } from '../../src/storage/runs';
import type { RunRecord } from '../../src/contract';
import { decodeIds, encodeText } from '../../src/engine/tokenizers/char-vocab';
import { runBaseOf } from '../helpers/base-model';
import { loadEngine } from '../helpers/load-engine';
import { loadedModel } from '../helpers/loaded-model';
import { tunedWeightsOf } from '../helpers/tuned-weights';

/** Tokens that end an assistant turn in common chat templates (ChatML, Llama 3, Phi). */
const END_OF_TURN = ['<|im_end|>', '<|eot_id|>', '<|end|>', '<|endoftext|>'];

function generationEosIds(): number[] {
  const ids = (loadedModel()?.checkpoint.generationConfig as { eos_token_id?: number | number[] } | null)?.eos_token_id;
  return ids == null ? [] : Array.isArray(ids) ? ids : [ids];
}

/** Loaded Hub/local models: the prompt as in training (BOS when the tokenizer wants one), optionally as a chat turn. */
function loadedPrompt(tokenizer: Tokenizer, prompt: string, chat: boolean): { ids: number[]; text: string; stopIds: number[] } {
  const text = chat ? chatRendererFor(tokenizer)([{ role: 'user', content: prompt }], true) : prompt;
  const ids = tokenizer.encode(text);
  if (tokenizer.addBosToken && tokenizer.bosId !== undefined && ids[0] !== tokenizer.bosId) ids.unshift(tokenizer.bosId);
  const stops = [tokenizer.eosId ?? 0, ...generationEosIds()];
  if (chat) for (const t of END_OF_TURN) if (tokenizer.specialTokens.has(t)) stops.push(tokenizer.specialTokens.get(t) as number);
  return { ids, text, stopIds: [...new Set(stops)] };
}

/** A prompt as the run's model reads it, and the ids that end its answer (the distillation job shares it). */
export function promptOf(run: RunRecord, tokenizer: Tokenizer | null, input: Pick<GenerateInput, 'prompt' | 'chat'>): { ids: number[]; text: string; stopIds: number[] } {
  if (run.model.kind === 'loaded' && tokenizer) return loadedPrompt(tokenizer, input.prompt, input.chat ?? false);
  // Tiny World lines have no start token and end at "\n"; the seeded char models use token 0 for both.
  if (tokenizer) return { ids: tokenizer.encode(input.prompt), text: input.prompt, stopIds: [tokenizer.encode('\n')[0]] };
  return { ids: [0, ...encodeText(input.prompt, run.vocab)], text: input.prompt, stopIds: [0] };
}

export async function generateJob(input: GenerateInput, signal: AbortSignal, report: (p: GenerateProgress, force?: boolean) => void): Promise<GenerateResult> {
  const run = await loadRun(input.runId);
  if (!run) throw new Error('The run was not found; pick another run.');
  const tuned = await tunedWeightsOf(run);
  const engine = await loadEngine();
  const base = await runBaseOf(run);
  const tokenizer = base.tokenizer;
  const known = (c: string) => (tokenizer ? tokenizer.encode(c).length > 0 && !tokenizer.encode(c).includes(tokenizer.unkId ?? -1) : run.vocab.includes(c));
  const prompt = promptOf(run, tokenizer, input);
  const decode = (ids: number[]) => (tokenizer ? tokenizer.decode(ids) : decodeIds(ids, run.vocab));
  const unknownCharacters = [...new Set([...input.prompt].filter((c) => !known(c)))];
  const texts = { base: '', tuned: '' };
  for (const side of ['base', 'tuned'] as const) {
    const ids: number[] = [];
    await engine.generate({
      ...base.setup,
      tuned: side === 'base' ? null : (tuned?.trainable ?? null),
      promptIds: prompt.ids,
      maxTokens: input.maxTokens,
      temperature: input.temperature,
      seed: input.seed,
      stopIds: prompt.stopIds,
      vocabLimit: tokenizer?.vocabSize,
      signal,
      onToken: (id) => {
        ids.push(id);
        texts[side] = decode(ids);
        report({ side, text: texts[side], done: false });
      },
    });
    report({ side, text: texts[side], done: true }, true);
  }
  const chatFormat = run.model.kind === 'loaded' && input.chat && tokenizer ? (tokenizer.chatTemplate ? 'template' : 'plain') : null;
  return { ...texts, tunedStep: tuned?.step ?? null, unknownCharacters, chatFormat, promptText: prompt.text };
}
