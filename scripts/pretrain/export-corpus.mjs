// Exports the Tiny World pretraining corpus and eval sets from the TypeScript generator for the PyTorch trainer.
// Usage: node scripts/pretrain/export-corpus.mjs [--lines 300000] [--eval 200] [--seed 1] [--out scripts/pretrain/out]
//        [--exclude ADD,FACTADD] [--shots 8] [--report DIR [--fixture FILE]]
// --exclude leaves skills out of the corpus (an ablated base); --shots exports the first k solved lines per skill for
// k-shot scores; --report writes the reported eval set (EVAL_SETS.reported) to DIR, apart from the corpus and the
// tuning set, for score.py's final numbers only (train.py never reads it, so no stage choice can see it).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
const exclude = new Set((args.exclude ?? '').split(',').filter(Boolean));
const shotCount = Number(args.shots ?? 0);

const { module: world } = await runnerImport(resolve(here, '../../src/engine/world/index.ts'), {
  configFile: false,
  logLevel: 'error',
});

mkdirSync(out, { recursive: true });
// Independent draws, like the in-browser stream: FACT's 60 facts recur by design; the manifest counts distinct lines and repeats.
for (const skill of exclude) if (!(skill in world.PRETRAIN_MIX)) throw new Error(`--exclude ${skill}: not in PRETRAIN_MIX (${Object.keys(world.PRETRAIN_MIX).join(', ')})`);
const mix = Object.fromEntries(Object.entries(world.PRETRAIN_MIX).filter(([skill]) => !exclude.has(skill)));
const corpus = world.generateWorldDataset({ mix, size: lines, split: 'train', seed, sampling: 'independent' });
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
if (shotCount) {
  // k-shot scores (k = 1, 2, 4, … shotCount) put the first k of these lines before each prompt.
  const many = Object.fromEntries(world.SKILL_NAMES.map((skill) => [skill, fewShot.tinyWorldShots(skill, shotCount).map((e) => e.prompt + e.completion)]));
  writeFileSync(resolve(out, `shots${shotCount}.json`), JSON.stringify({ k: shotCount, seed: fewShot.FEW_SHOT_SEED, shots: many }, null, 1));
}
if (args.report) {
  const reported = world.EVAL_SETS.reported;
  const dir = resolve(args.report);
  mkdirSync(dir, { recursive: true });
  const rows = [];
  for (const skill of world.SKILL_NAMES) {
    const pool = world.SKILLS[skill].poolSize('eval', reported.role, {});
    const size = pool.exact ? Math.min(evalSize, pool.count) : evalSize;
    for (const e of world.generateEvalSet(skill, size, reported.seed, undefined, reported.role)) {
      rows.push(JSON.stringify({ skill, prompt: e.prompt, answer: e.completion.replace(/\n$/, ''), cohort: e.cohort }));
    }
  }
  writeFileSync(resolve(dir, 'eval.jsonl'), rows.join('\n') + '\n');
  if (args.fixture) {
    // The engine-reproduces-PyTorch test's sample: the first 25 reported items per skill and the k-shot lines.
    const items = {};
    for (const row of rows.map((r) => JSON.parse(r))) {
      const list = (items[row.skill] ??= []);
      if (list.length < 25) list.push({ prompt: row.prompt, answer: row.answer });
    }
    const many = JSON.parse(readFileSync(resolve(out, `shots${shotCount}.json`), 'utf8'));
    const fixture = { generator: world.GENERATOR_VERSION, evalSeed: reported.seed, evalRole: reported.role, items, shots: many.shots, shotSeed: many.seed };
    writeFileSync(resolve(args.fixture), JSON.stringify(fixture, null, 1) + '\n');
  }
  console.log(`wrote ${rows.length} reported eval items (seed ${reported.seed}, role ${reported.role}) to ${dir}`);
}
writeFileSync(resolve(out, 'vocab.json'), JSON.stringify({ specials: ['<pad>', '<eos>', '<unk>'], chars: world.WORLD_CHARS }));
const tokens = corpus.examples.reduce((n, e) => n + e.prompt.length + e.completion.length, 0);
writeFileSync(
  resolve(out, 'manifest.json'),
  JSON.stringify({ corpus: corpus.manifest, characters: tokens, evalPerSkill: evalSize, evalSeed, evalRole: tuning.role, excluded: [...exclude] }, null, 2),
);
console.log(`wrote ${corpus.examples.length} lines (${tokens} characters) and ${evalRows.length} eval items to ${out}`);
