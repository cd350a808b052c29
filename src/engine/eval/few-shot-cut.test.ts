// The few-shot variant on the shipped base: items whose prompt greedy decoding must cut get the teacher-forced path's
// verdict and prediction from the same cut prompt (#12 item 7: 3 of 10 SORT verdicts used to differ).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { initNodeBackend } from '../../../scripts/experiments/backend';
import { readSafetensors } from '../io';
import { createModel } from '../models/causal-lm';
import type { ModelConfig } from '../models/config';
import { loadTokenizer } from '../tokenizers';
import type { SkillName } from '../world';
import { evalModelOf, evalTokenizerOf } from './eval-model';
import { tinyWorldShots, withFewShot } from './few-shot';
import { exactMatch } from './metrics';
import { evaluateSuite } from './run-suite';
import { skillProbe } from './tiny-world-suite';

const folder = resolve(__dirname, '../../../public/models/tiny-world-800k');

test.skipIf(!existsSync(folder))('few-shot SORT and FACT: teacher-forced and greedy give the same verdicts where the prompt is cut', { timeout: 600_000 }, async () => {
  await initNodeBackend('wasm');
  const config = JSON.parse(readFileSync(resolve(folder, 'config.json'), 'utf8')) as ModelConfig;
  const tokenizer = evalTokenizerOf(loadTokenizer(JSON.parse(readFileSync(resolve(folder, 'tokenizer.json'), 'utf8'))));
  const model = createModel(config, readSafetensors(new Uint8Array(readFileSync(resolve(folder, 'model.safetensors')))));
  const context = model.dims.maxPositions;
  const skills: SkillName[] = ['SORT', 'FACT'];
  // Only items in the gap: prompt + answer fit the context, prompt + the greedy budget (answer + 2) do not.
  const inGap = (item: { prompt: string; target: string }) => {
    const [p, t] = [tokenizer.encode(item.prompt).length, tokenizer.encode(item.target).length];
    return p + t <= context && p > context - (t + 2);
  };
  const suite = {
    name: 'few-shot',
    probes: skills.map((s) => {
      const probe = withFewShot(skillProbe(s, 50, 1001), tinyWorldShots(s));
      if (probe.metric !== 'exact_match') throw new Error('exact match probe expected');
      return { ...probe, items: probe.items.filter(inGap).slice(0, 5) };
    }),
  };
  expect(suite.probes.map((p) => p.items.length)).toEqual([5, 5]);
  const greedy = await evaluateSuite(evalModelOf(model), tokenizer, suite, { scoring: 'one-by-one', resamples: 1 });
  const fast = await evaluateSuite(evalModelOf(model), tokenizer, suite, { resamples: 1 });
  for (const [p, probe] of suite.probes.entries()) {
    if (probe.metric !== 'exact_match') continue;
    const verdicts = (preds: (string | number)[]) => preds.map((x, i) => exactMatch(String(x), probe.items[i].target).numerator);
    expect(verdicts(fast.probes[p].predictions), probe.name).toEqual(verdicts(greedy.probes[p].predictions));
    // A decided miss shows greedy's text up to its first wrong character: greedy's own text starts with it.
    fast.probes[p].predictions.forEach((x, i) => expect(String(greedy.probes[p].predictions[i]).startsWith(String(x).replace(/…$/, '')), `${probe.name} item ${i}`).toBe(true));
  }
  model.dispose();
});
