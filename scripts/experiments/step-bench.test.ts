// Times one experiment-preset training step (LoRA r8 and full fine-tuning) and one eval on a Node tfjs backend.
// Skipped unless TUNELAB_STEP_BENCH is set to a backend ('cpu' or 'wasm'):
//   TUNELAB_STEP_BENCH=wasm npx vitest run scripts/experiments/step-bench.test.ts
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'vitest';
import * as exp from '../../src/engine/experiments/runner';
import { evalTexts } from '../../src/engine/experiments/suite';
import { tokenizeRecord } from '../../src/engine/data/tokenize-record';
import { createModel } from '../../src/engine/models/causal-lm';
import { createTrainer } from '../../src/engine/train/trainer';
import { evaluateSuite } from '../../src/engine/eval/run-suite';
import { evalModelOf, evalTokenizerOf } from '../../src/engine/eval/eval-model';
import { initNodeBackend, type NodeBackend } from './backend';

const backend = process.env.TUNELAB_STEP_BENCH as NodeBackend | undefined;

it.skipIf(!backend)('times preset steps on a Node backend', async () => {
  const name = await initNodeBackend(backend!);
  const models = resolve('public/models');
  const base = await exp.loadExperimentBase('tiny-world-800k', async (id, file) => (existsSync(resolve(models, id, file)) ? new Uint8Array(readFileSync(resolve(models, id, file))) : null));
  const spec = exp.cliffPreset();
  for (const rank of [8, 0]) {
    const settings = { ...spec.fixed, rank };
    const model = createModel(base.config, base.weights);
    const examples = exp.cellExamples(settings, 1, 'ROUTE', evalTexts(exp.experimentSuite(spec))).map((e, i) =>
      tokenizeRecord({ kind: 'prompt-completion', line: i + 1, prompt: e.prompt, completion: e.completion }, base.tokenizer, { maxSeqLen: 64, appendEos: false }),
    );
    const trainer = createTrainer(model, examples, exp.cellTrainOptions(settings, 1, 64));
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      await trainer.step();
      times.push(performance.now() - t0);
    }
    const steady = times.slice(1).sort((a, b) => a - b);
    console.log(`${name} rank ${rank}: first step ${times[0].toFixed(0)} ms, median of next 5 ${steady[2].toFixed(0)} ms`);
    const suite = exp.experimentSuite({ target: 'ROUTE', adjacent: ['TICK'], evalItems: 10 });
    for (const mode of ['one-by-one', 'batched'] as const) {
      const t0 = performance.now();
      await evaluateSuite(evalModelOf(model, trainer.lora), evalTokenizerOf(base.tokenizer), suite, { resamples: 10, scoring: mode });
      console.log(`${name} rank ${rank}: eval ROUTE+TICK+ppl 10 items each (${mode}) ${(performance.now() - t0).toFixed(0)} ms`);
    }
    trainer.dispose();
    model.dispose();
  }
}, 3_600_000);
