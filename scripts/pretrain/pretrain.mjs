// One command re-creates a shipped Tiny World base model: export the corpus from the TS generator, then train in PyTorch.
// Usage: npm run pretrain -- [800k | 400k | ctx256-70k | … | --size 800k] [--python /usr/bin/python3] [--dry-run] [--resume]   (CPU, one thread; see docs/tiny-world.md)
// --dry-run prints every command the preset would run and runs none of them (then train.py --dry-run N shows what its packed windows hold).
// A preset's `corpus` (optional) picks the export folder, skills left out (an ablated base), the k-shot lines and the
// reported eval folder; its `report` (optional) scores the finished base on that reported set with score.py (with the
// app's few-shot lines, out/shots.json, when `corpus.shots` is not set); its `warmStart` (optional) extracts earlier
// weights from git history ({ commit, folder, to }) for a stage's --init-from.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const presets = JSON.parse(readFileSync(resolve(here, 'presets.json'), 'utf8'));
const positional = argv.find((a, i) => !a.startsWith('--') && (i === 0 || !argv[i - 1].startsWith('--')));
const size = option('size', positional ?? '800k');
const preset = presets[size];
if (!preset) {
  console.error(`Unknown size "${size}". Known sizes: ${Object.keys(presets).join(', ')}.`);
  process.exit(2);
}
const python = option('python', process.env.PYTHON ?? '/usr/bin/python3');

const dryRun = argv.includes('--dry-run');

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`);
  if (dryRun) return;
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const flags = (stage) => Object.entries(stage).flatMap(([k, v]) => (v === true ? [`--${k}`] : [`--${k}`, String(v)]));
const corpus = preset.corpus ?? {};
const corpusFlags = Object.entries(corpus).flatMap(([k, v]) => [`--${k}`, Array.isArray(v) ? v.join(',') : String(v)]);
run(process.execPath, [resolve(here, 'export-corpus.mjs'), '--lines', String(preset.corpusLines), '--seed', String(preset.dataSeed), ...corpusFlags]);
if (preset.from && !existsSync(preset.from.weights)) {
  // A warm start from another preset's intermediate weights: train that preset's first stages (they write no model folder).
  const other = presets[preset.from.preset];
  console.log(`${size} starts from ${preset.from.weights}: running the first ${preset.from.stages} stages of ${preset.from.preset} first.`);
  const borrowed = other.stages.slice(0, preset.from.stages);
  borrowed.forEach((stage, i) => {
    const keep = i === borrowed.length - 1 ? ['--save-to', preset.from.weights] : []; // a stage with --save-to writes no model folder
    run(python, [resolve(here, 'train.py'), '--name', preset.from.preset, ...flags(stage), ...keep]);
  });
}
if (preset.warmStart && !existsSync(resolve(preset.warmStart.to, 'model.safetensors'))) {
  // The weights a stage starts from are an earlier shipped base: `git show` brings them back byte for byte.
  const { commit, folder, to } = preset.warmStart;
  console.log(`$ git show ${commit}:${folder}/model.safetensors > ${to}/model.safetensors`);
  const shown = dryRun ? { status: 0, stdout: Buffer.alloc(0) } : spawnSync('git', ['show', `${commit}:${folder}/model.safetensors`], { maxBuffer: 1 << 28 });
  if (shown.status !== 0) {
    console.error(`Cannot read ${folder} at commit ${commit} (${shown.stderr}): run this from a full clone of the repository (git fetch --unshallow).`);
    process.exit(1);
  }
  if (!dryRun) {
    mkdirSync(to, { recursive: true });
    writeFileSync(resolve(to, 'model.safetensors'), shown.stdout);
  }
}
preset.stages.forEach((stage, i) => {
  const last = i === preset.stages.length - 1;
  const earlier = preset.stages.length > 1 ? ` Earlier stages' flags: ${JSON.stringify(preset.stages.slice(0, -1))}` : '';
  const note = last && preset.note ? ['--stage-note', `${preset.note}${earlier}`] : [];
  const data = corpus.out ? ['--data', corpus.out] : [];
  const resume = last && argv.includes('--resume') ? ['--resume'] : []; // continue the last stage from its checkpoint (a changed --steps in the preset shortens or lengthens a WSD run)
  run(python, [resolve(here, 'train.py'), '--name', size, ...data, ...flags(stage), ...note, ...resume]);
});
if (preset.report) {
  // The reported k-shot table, once, on the finished base (never read by any stage above).
  const folder = resolve(here, '../../public/models', `tiny-world-${size}`);
  const out = corpus.out ?? resolve(here, 'out');
  const shots = resolve(out, corpus.shots ? `shots${corpus.shots}.json` : 'shots.json');
  run(python, [resolve(here, 'score.py'), folder, '--data', out, '--report', corpus.report, '--shots', shots, '--ks', preset.report.ks.join(','), '--only-reported']);
}
