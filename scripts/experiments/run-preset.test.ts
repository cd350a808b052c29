// Runs an experiment preset in Node on the tfjs CPU backend and prints the measured table and readings (docs/results.md).
// Skipped unless TUNELAB_EXPERIMENT is set, e.g.:
//   TUNELAB_EXPERIMENT=cliff EXP_STEPS=100 EXP_AXIS=8,0 EXP_EVAL_EVERY=25 EXP_EVAL_ITEMS=20 npx vitest run scripts/experiments
// Other knobs: EXP_MODELS (folder holding tiny-world-800k/), EXP_SEEDS, EXP_BATCH, EXP_EXTRA ("trainSize=400,addedSize=400;…"),
// EXP_ADJACENT ("TICK,REV"), EXP_OUT (JSON of every cell, default scripts/experiments/out).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { it } from 'vitest';
import { initBackend } from '../../src/engine/backend/init';
import * as exp from '../../src/engine/experiments';
import type { CellSettings, PresetId, StoredCell } from '../../src/engine/experiments';
import type { SkillName } from '../../src/engine/world';
import { cellToRunRecord, storedCellOf } from '../../src/storage/experiment-cell-record';
import { slidesOf } from '../../src/ui/experiments/slides';

const env = process.env;
const preset = env.TUNELAB_EXPERIMENT as PresetId | undefined;

it.skipIf(!preset)('runs an experiment preset on the CPU backend', async () => {
  await initBackend('cpu');
  const spec = exp.presetSpec(preset!);
  if (env.EXP_SEEDS) spec.seeds = Number(env.EXP_SEEDS);
  if (env.EXP_STEPS) spec.fixed.steps = Number(env.EXP_STEPS);
  if (env.EXP_BATCH) spec.fixed.batchSize = Number(env.EXP_BATCH);
  if (env.EXP_AXIS) spec.axes[0].values = env.EXP_AXIS.split(',').map(Number);
  if (env.EXP_EXTRA !== undefined) {
    spec.extraCells = env.EXP_EXTRA ? env.EXP_EXTRA.split(';').map((e) => Object.fromEntries(e.split(',').map((kv) => [kv.split('=')[0], Number(kv.split('=')[1])])) as Partial<CellSettings>) : [];
  }
  if (env.EXP_EVAL_ITEMS) spec.evalItems = Number(env.EXP_EVAL_ITEMS);
  if (env.EXP_EVAL_EVERY) spec.evalEvery = Number(env.EXP_EVAL_EVERY);
  if (env.EXP_ADJACENT) spec.adjacent = env.EXP_ADJACENT.split(',') as SkillName[];
  const models = resolve(env.EXP_MODELS ?? 'public/models');
  const base = await exp.loadExperimentBase(spec.base, async (id, file) => (existsSync(resolve(models, id, file)) ? new Uint8Array(readFileSync(resolve(models, id, file))) : null));
  const id = exp.experimentId(spec);
  const suite = exp.experimentSuite(spec);
  const out = resolve(env.EXP_OUT ?? 'scripts/experiments/out');
  mkdirSync(out, { recursive: true });
  const started = Date.now();
  const cells: StoredCell[] = [];
  for (const cell of exp.expandCells(spec)) {
    const t0 = Date.now();
    const result = await exp.runCell(base, cell, { experimentId: id, suite, target: spec.target, evalEvery: spec.evalEvery });
    cells.push(storedCellOf(cellToRunRecord(result, base))!);
    console.log(`${cell.key}: ${JSON.stringify(result.evals.at(-1)!.scores)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    writeFileSync(resolve(out, `${spec.preset}.json`), JSON.stringify({ spec, cells }, null, 1));
  }
  const lines = [`${spec.preset}: ${cells.length} runs in ${((Date.now() - started) / 1000).toFixed(0)} s on ${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores, tfjs CPU backend, Node)`, ''];
  for (const slide of slidesOf(spec, cells)) {
    lines.push(`### ${slide.title}`, '', `| series | ${slide.xLabel} | mean ± 95% CI | seeds |`, '|---|---|---|---|');
    for (const r of slide.rows) lines.push(`| ${r.series} | ${r.x} | ${r.score} | ${r.n} |`);
    lines.push('', `> ${slide.reading}`, '');
  }
  writeFileSync(resolve(out, `${spec.preset}.md`), lines.join('\n'));
  console.log(lines.join('\n'));
}, 3_600_000);
