// Measures a shipped Tiny World base (zero-shot, Node, tfjs) on the tiny-world/2 ticket items, against the tiny-world/1
// items its card was scored on (docs/tiny-world.md "What tiny-world/2 changed"). Skipped unless TUNELAB_BASE_ITEMS is set:
//   TUNELAB_BASE_ITEMS=1 npx vitest run scripts/experiments/base-on-new-items.test.ts
// Knobs: BASE_ITEMS_MODEL (tiny-world-800k), BASE_ITEMS_N (200 per set), BASE_ITEMS_BACKEND (wasm).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'vitest';
import { initNodeBackend, type NodeBackend } from './backend';
import { readSafetensors } from '../../src/engine/io';
import { createModel } from '../../src/engine/models/causal-lm';
import type { ModelConfig } from '../../src/engine/models/config';
import { loadTokenizer } from '../../src/engine/tokenizers';
import { evaluateSuite } from '../../src/engine/eval/run-suite';
import { evalModelOf, evalTokenizerOf } from '../../src/engine/eval/eval-model';
import type { EvalSuite, GenerationItem } from '../../src/engine/eval/types';
import { EVAL_SETS, generateEvalSet, generateWorldDataset, ticketPhraseOf, type SkillName } from '../../src/engine/world';
import cardSample from '../../src/engine/eval/fixtures/tiny-world-1-card-sample.json';

const env = process.env;
/** TICK's 32 phrases of tiny-world/1 (the ones the shipped bases were pretrained on). */
const OLD_TICK_PHRASES = new Set([
  'i was charged twice', 'my card was declined', 'the invoice is wrong', 'why is my bill so high', 'update my payment method', 'my check bounced', 'extra fee on my card', 'the price on my bill changed',
  'i cannot log in', 'password reset is broken', 'my account is locked', 'the code never arrives', 'i forgot my username', 'login page shows an error', 'new cell number for codes', 'my session keeps expiring',
  'my package is late', 'where is my order', 'tracking has not updated', 'wrong zip code on label', 'package arrived damaged', 'deliver to my apartment', 'courier left it outside', 'order stuck in transit',
  'i want my money back', 'refund has not arrived', 'order canceled but no refund', 'send a return label', 'how long do refunds take', 'item was the wrong color', 'cancel and refund my order', 'the refund amount is wrong',
]);

function probe(name: string, rows: { prompt: string; completion: string; tags?: string[] }[]) {
  const items: GenerationItem[] = rows.map((e) => ({ prompt: e.prompt, target: e.completion.replace(/\n$/, '') }));
  // Templates 0-3 are the four wrappers tiny-world/1 had (and the bases were pretrained on).
  const oldWrapper = rows.map((e) => (e.tags ?? []).some((t) => ['template:0', 'template:1', 'template:2', 'template:3'].includes(t)));
  return { name, metric: 'exact_match' as const, stop: '\n', items, oldWrapper };
}

it.skipIf(!env.TUNELAB_BASE_ITEMS)('scores a shipped base on the old and new ticket items', { timeout: 3_600_000 }, async () => {
  const backend = await initNodeBackend((env.BASE_ITEMS_BACKEND ?? 'wasm') as NodeBackend);
  const name = env.BASE_ITEMS_MODEL ?? 'tiny-world-800k';
  const n = Number(env.BASE_ITEMS_N ?? 200);
  const folder = resolve('public/models', name);
  const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
  const model = createModel(config, readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors')))));
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8')));
  const old = cardSample as { items: Record<SkillName, { prompt: string; answer: string }[]> };
  const sets: ReturnType<typeof probe>[] = [];
  for (const skill of ['TICK', 'ROUTE'] as const) {
    sets.push(probe(`${skill} tiny-world/1 card items`, old.items[skill].map((i) => ({ prompt: i.prompt, completion: i.answer }))));
    for (const [use, { seed, role }] of Object.entries(EVAL_SETS)) sets.push(probe(`${skill} eval ${use}`, generateEvalSet(skill, n, seed, undefined, role)));
    sets.push(probe(`${skill} train-split phrases`, generateWorldDataset({ mix: { [skill]: 1 }, size: n, split: 'train', seed: 4242 }).examples));
  }
  const suite: EvalSuite = { name, probes: sets.map(({ oldWrapper: _, ...p }) => p) };
  const result = await evaluateSuite(evalModelOf(model), evalTokenizerOf(tokenizer), suite, { seed: 0 });
  console.log(`${name} on ${backend}, zero-shot exact match:`);
  for (const [i, p] of result.probes.entries()) {
    const m = p.metrics.exact_match;
    console.log(`  ${p.probe}: ${(m.value * 100).toFixed(1)}% [${(m.ci[0] * 100).toFixed(1)}, ${(m.ci[1] * 100).toFixed(1)}] of ${sets[i].items.length}`);
    if (!p.probe.startsWith('TICK') || p.probe.includes('tiny-world/1')) continue;
    // Breakdowns: the four wrappers it was pretrained on vs the new slotted ones, and phrases of tiny-world/1 vs new.
    const values = p.itemValues.map((v) => v.numerator);
    const rows = sets[i].items;
    const oldWrapper = sets[i].oldWrapper;
    const oldPhrase = rows.map((r) => OLD_TICK_PHRASES.has(ticketPhraseOf(r.prompt) ?? ''));
    const share = (pickRow: (j: number) => boolean) => {
      const picked = values.filter((_, j) => pickRow(j));
      return picked.length ? `${((picked.reduce((s, v) => s + v, 0) / picked.length) * 100).toFixed(1)}% of ${picked.length}` : 'none';
    };
    console.log(`    old wrappers ${share((j) => oldWrapper[j])}; new wrappers ${share((j) => !oldWrapper[j])}; tiny-world/1 phrases ${share((j) => oldPhrase[j])}; new phrases ${share((j) => !oldPhrase[j])}`);
  }
  model.dispose();
});
