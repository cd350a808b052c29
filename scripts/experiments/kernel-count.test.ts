// Counts the tfjs kernels (≈ WebGPU dispatches) of one preset training step and of one preset eval, batched and
// one item at a time: the inputs of the laptop-GPU time estimate in docs/results.md. Skipped unless
// TUNELAB_KERNEL_COUNT is set:  TUNELAB_KERNEL_COUNT=1 npx vitest run scripts/experiments/kernel-count.test.ts
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'vitest';
import { tf } from '../../src/engine/backend/tf';
import * as exp from '../../src/engine/experiments/runner';
import { evalTexts } from '../../src/engine/experiments/suite';
import { tokenizeRecord } from '../../src/engine/data/tokenize-record';
import { createModel } from '../../src/engine/models/causal-lm';
import { createTrainer } from '../../src/engine/train/trainer';
import { evaluateSuite } from '../../src/engine/eval/run-suite';
import { evalModelOf, evalTokenizerOf } from '../../src/engine/eval/eval-model';
import { initNodeBackend } from './backend';

async function kernels(run: () => Promise<unknown>): Promise<number> {
  const info = await tf.profile(async () => {
    await run();
    return tf.scalar(0);
  });
  return info.kernels.length;
}

it.skipIf(!process.env.TUNELAB_KERNEL_COUNT)('counts kernels per preset step and per eval', async () => {
  await initNodeBackend('wasm');
  const models = resolve('public/models');
  const base = await exp.loadExperimentBase('tiny-world-800k', async (id, file) => (existsSync(resolve(models, id, file)) ? new Uint8Array(readFileSync(resolve(models, id, file))) : null));
  const spec = exp.cliffPreset();
  for (const rank of [8, 0]) {
    // Kernel counts do not depend on the batch size, so a small batch keeps this quick.
    const settings = { ...spec.fixed, rank, batchSize: 2 };
    const model = createModel(base.config, base.weights);
    const examples = exp.cellExamples(settings, 1, 'ROUTE', evalTexts(exp.experimentSuite(spec))).map((e, i) =>
      tokenizeRecord({ kind: 'prompt-completion', line: i + 1, prompt: e.prompt, completion: e.completion }, base.tokenizer, { maxSeqLen: 64, appendEos: false }),
    );
    const trainer = createTrainer(model, examples, exp.cellTrainOptions(settings, 1, 64));
    await trainer.step();
    const step = await kernels(() => trainer.step());
    console.log(`rank ${rank}: ${step} kernels per training step`);
    if (rank === 8) {
      // One-by-one scoring costs the same per item whatever the count, so 4 items per probe tell its cost per eval.
      for (const [scoring, evalItems] of [['batched', spec.evalItems], ['one-by-one', 4]] as const) {
        const suite = exp.experimentSuite({ ...spec, evalItems });
        const items = suite.probes.reduce((n, p) => n + p.items.length, 0);
        const n = await kernels(() => evaluateSuite(evalModelOf(model, trainer.lora), evalTokenizerOf(base.tokenizer), suite, { resamples: 1, scoring }));
        console.log(`cliff eval (${suite.probes.length} probes, ${items} items), ${scoring}: ${n} kernels (${(n / items).toFixed(0)} per item)`);
      }
    }
    trainer.dispose();
    model.dispose();
  }
}, 3_600_000);
