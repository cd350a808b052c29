// Exports the Tiny World pretraining corpus and eval sets from the TypeScript generator for the PyTorch trainer.
// Usage: node scripts/pretrain/export-corpus.mjs [--lines 300000] [--eval 200] [--seed 1] [--out scripts/pretrain/out]

import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { runnerImport } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const lines = Number(args.lines ?? 300000);
const evalSize = Number(args.eval ?? 200);
const seed = Number(args.seed ?? 1);
const out = resolve(args.out ?? resolve(here, 'out'));

const { module: world } = await runnerImport(resolve(here, '../../src/engine/world/index.ts'), {
  configFile: false,
  logLevel: 'error',
});

mkdirSync(out, { recursive: true });
// Independent draws, like the in-browser stream: FACT's 60 facts recur by design; the manifest counts distinct lines and repeats.
const corpus = world.generateWorldDataset({ mix: world.PRETRAIN_MIX, size: lines, split: 'train', seed, sampling: 'independent' });
writeFileSync(resolve(out, 'corpus.txt'), corpus.examples.map((e) => e.prompt + e.completion).join(''));

// The eval set that tunes pretraining (stage choices, model cards): its own seed and its own third of every eval half
// (world.EVAL_SETS.pretrainTuning), never the development or reported items. A small eval part (FACT's 60 facts, FACTADD's role) is exported whole.
const tuning = world.EVAL_SETS.pretrainTuning;
const evalSeed = tuning.seed + (seed - 1);
const evalRows = [];
for (const skill of world.SKILL_NAMES) {
  const pool = world.SKILLS[skill].poolSize('eval', tuning.role, {});
  const size = pool.exact ? Math.min(evalSize, pool.count) : evalSize;
  for (const e of world.generateEvalSet(skill, size, evalSeed, undefined, tuning.role)) {
    evalRows.push(JSON.stringify({ skill, prompt: e.prompt, answer: e.completion.replace(/\n$/, ''), cohort: e.cohort }));
  }
}
writeFileSync(resolve(out, 'eval.jsonl'), evalRows.join('\n') + '\n');
// The solved lines the app's few-shot variant puts before every prompt (src/engine/eval/few-shot.ts tinyWorldShots).
const { module: fewShot } = await runnerImport(resolve(here, '../../src/engine/eval/few-shot.ts'), { configFile: false, logLevel: 'error' });
const shots = Object.fromEntries(world.SKILL_NAMES.map((skill) => [skill, fewShot.tinyWorldShots(skill).map((e) => e.prompt + e.completion)]));
writeFileSync(resolve(out, 'shots.json'), JSON.stringify({ k: fewShot.FEW_SHOT_COUNT, seed: fewShot.FEW_SHOT_SEED, shots }, null, 1));
writeFileSync(resolve(out, 'vocab.json'), JSON.stringify({ specials: ['<pad>', '<eos>', '<unk>'], chars: world.WORLD_CHARS }));
const tokens = corpus.examples.reduce((n, e) => n + e.prompt.length + e.completion.length, 0);
writeFileSync(
  resolve(out, 'manifest.json'),
  JSON.stringify({ corpus: corpus.manifest, characters: tokens, evalPerSkill: evalSize, evalSeed, evalRole: tuning.role }, null, 2),
);
console.log(`wrote ${corpus.examples.length} lines (${tokens} characters) and ${evalRows.length} eval items to ${out}`);
