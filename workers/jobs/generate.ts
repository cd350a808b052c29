// Job: stream the base model's and the fine-tuned model's answers to one prompt, with the same sampling seed.
import { latestCheckpoint, loadRun } from '../../src/storage/runs';
import { decodeIds, encodeText } from './char-vocab';
import { runBaseOf } from './base-model';
import { loadEngine } from './engine-adapter';

export interface GenerateInput {
  runId: string;
  prompt: string;
  maxTokens: number;
  temperature: number;
  seed: number;
}

export interface GenerateProgress {
  side: 'base' | 'tuned';
  text: string;
  done: boolean;
}

export interface GenerateResult {
  base: string;
  tuned: string;
  tunedStep: number | null;
  /** Prompt characters the model's vocabulary does not have (they were left out). */
  unknownCharacters: string[];
}

export async function generateJob(input: GenerateInput, signal: AbortSignal, report: (p: GenerateProgress, force?: boolean) => void): Promise<GenerateResult> {
  const run = await loadRun(input.runId);
  if (!run) throw new Error('The run was not found; pick another run.');
  const checkpoint = await latestCheckpoint(input.runId);
  const engine = await loadEngine();
  const base = await runBaseOf(run);
  const tokenizer = base.tokenizer;
  // Tiny World lines have no start token and end at "\n"; the seeded char models use token 0 for both.
  const known = (c: string) => (tokenizer ? tokenizer.encode(c).length > 0 && !tokenizer.encode(c).includes(tokenizer.unkId ?? -1) : run.vocab.includes(c));
  const promptIds = tokenizer ? tokenizer.encode(input.prompt) : [0, ...encodeText(input.prompt, run.vocab)];
  const stopId = run.model.kind === 'loaded' ? (tokenizer?.eosId ?? 0) : tokenizer ? tokenizer.encode('\n')[0] : 0;
  const decode = (ids: number[]) => (tokenizer ? tokenizer.decode(ids) : decodeIds(ids, run.vocab));
  const unknownCharacters = [...new Set([...input.prompt].filter((c) => !known(c)))];
  const texts = { base: '', tuned: '' };
  for (const side of ['base', 'tuned'] as const) {
    const ids: number[] = [];
    await engine.generate({
      ...base.setup,
      checkpoint: side === 'base' ? null : (checkpoint?.state ?? null),
      promptIds,
      maxTokens: input.maxTokens,
      temperature: input.temperature,
      seed: input.seed,
      stopId,
      signal,
      onToken: (id) => {
        ids.push(id);
        texts[side] = decode(ids);
        report({ side, text: texts[side], done: false });
      },
    });
    report({ side, text: texts[side], done: true }, true);
  }
  return { ...texts, tunedStep: checkpoint?.step ?? null, unknownCharacters };
}
