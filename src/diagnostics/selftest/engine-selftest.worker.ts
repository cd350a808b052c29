// Self-test worker: runs the engine's golden checks and a KV-cache decode check on the requested backend.
import { initBackend, type BackendInfo, type BackendName } from '../../engine/backend/init';
import { tf } from '../../engine/backend/tf';
import { runGoldenChecks, type GoldenFixture, type GoldenReport } from '../../engine/train/golden-check';
import { createModel } from '../../engine/models/causal-lm';
import { generate } from '../../engine/generate/generate';
import { argmax } from '../../engine/generate/sample';
import gpt2 from '../../engine/models/fixtures/gpt2.json';
import llama from '../../engine/models/fixtures/llama.json';
import qwen2 from '../../engine/models/fixtures/qwen2.json';
import qwen3 from '../../engine/models/fixtures/qwen3.json';
import gemma3 from '../../engine/models/fixtures/gemma3.json';
import { runBertGoldenChecks, type BertGoldenFixture } from '../../engine/embed/bert-golden-check';
import { readSafetensors } from '../../engine/io';
import type { BertConfig } from '../../engine/models/bert-config';
import bertGolden from '../../engine/models/fixtures/bert-tiny.golden.json';
import bertConfig from '../../engine/hub/fixtures/tunelab-test/tiny-bert-st/config.json';
import bertTokenizer from '../../engine/hub/fixtures/tunelab-test/tiny-bert-st/tokenizer.json';
import bertWeightsUrl from '../../engine/hub/fixtures/tunelab-test/tiny-bert-st/model.safetensors?url';

export type SelftestMessage =
  | { kind: 'progress'; text: string }
  | { kind: 'done'; backend: BackendInfo; reports: GoldenReport[]; kvCacheMatches: boolean; leakedTensors: number; ms: number }
  | { kind: 'error'; message: string };

const fixtures = [gpt2, llama, qwen2, qwen3, gemma3] as unknown as GoldenFixture[];

/** Greedy tokens from the KV cache equal greedy tokens from full recomputation. */
async function kvCacheMatches(fixture: GoldenFixture): Promise<boolean> {
  const model = createModel(fixture.config, { seed: 3 });
  const prompt = [1, 2, 3];
  const cached = await generate(model, prompt, { maxNewTokens: 6 });
  const ids = [...prompt];
  for (let i = 0; i < 6; i++) {
    const last = tf.tidy(() => {
      const logits = model.logits(Int32Array.from(ids), 1, ids.length);
      return tf.slice(logits, [0, ids.length - 1, 0], [1, 1, -1]);
    });
    ids.push(argmax(await last.data()));
    last.dispose();
  }
  model.dispose();
  return ids.slice(prompt.length).join() === cached.ids.join();
}

self.onmessage = async (event: MessageEvent<{ backend: BackendName; only: string | null }>) => {
  const post = (m: SelftestMessage) => self.postMessage(m);
  try {
    const started = performance.now();
    const backend = await initBackend(event.data.backend);
    const reports: GoldenReport[] = [];
    const chosen = fixtures.filter((f) => !event.data.only || f.name === event.data.only);
    const before = tf.memory().numTensors;
    for (const fixture of chosen) {
      post({ kind: 'progress', text: `checking ${fixture.name} on ${backend.name}` });
      reports.push(await runGoldenChecks(fixture));
    }
    if (!event.data.only || event.data.only === 'bert') {
      // Issue 18: the BERT encoder and its embedder against their float64 fixture (weights fetched as the Hub file).
      post({ kind: 'progress', text: `checking bert on ${backend.name}` });
      const weights = readSafetensors(new Uint8Array(await (await fetch(bertWeightsUrl)).arrayBuffer()));
      reports.push(await runBertGoldenChecks(bertConfig as unknown as BertConfig, weights, bertTokenizer, bertGolden as unknown as BertGoldenFixture));
    }
    post({ kind: 'progress', text: 'KV-cache decode' });
    const kv = chosen.length ? await kvCacheMatches(chosen[0]) : true;
    post({ kind: 'done', backend, reports, kvCacheMatches: kv, leakedTensors: tf.memory().numTensors - before, ms: performance.now() - started });
  } catch (e) {
    post({ kind: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
};
