// Runs an experiment preset in Node on a tfjs backend and prints the measured table and readings (docs/results.md).
// Skipped unless TUNELAB_EXPERIMENT is set, e.g.:
//   TUNELAB_EXPERIMENT=cliff EXP_STEPS=100 EXP_AXIS=8,0 EXP_EVAL_EVERY=25 EXP_EVAL_ITEMS=20 npx vitest run scripts/experiments/run-preset.test.ts
// Other knobs: EXP_BACKEND (wasm, default, or cpu), EXP_MODELS (folder holding tiny-world-800k/), EXP_SEEDS, EXP_BATCH,
// EXP_LR, EXP_RANK, EXP_TRAIN_SIZE, EXP_ADDED_KIND (noisy|narrow), EXP_AXIS2 ("lr:0.001,0.003"),
// EXP_EXTRA ("trainSize=400,addedSize=400;…"), EXP_ADJACENT ("TICK,REV"), EXP_NAME (output file name, default the preset),
// EXP_BASE (a model folder name), EXP_EVAL_EARLY ("every:until"), EXP_MATCH_TARGET (the matched-gain preset's dev accuracy to stop at), EXP_TARGET (the target skill), EXP_ONLY_SEED (run only that seed's cells), EXP_PART ("i/n": only cells i, i+n, i+2n, … — one of n processes;
// render.test.ts merges their outputs), EXP_CELLS ("32,34": only those cells of the expanded list, to hand a slow process's
// last cells to another), EXP_OUT (folder of the outputs, default
// scripts/experiments/out). Cells already in the output JSON are kept and skipped.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { it } from 'vitest';
import { initNodeBackend, type NodeBackend } from './backend';
import * as exp from '../../src/engine/experiments/runner';
import type { CellSettings, PresetId, StoredCell } from '../../src/engine/experiments/runner';
import type { SkillName } from '../../src/engine/world';
import type { JudgeDriftSpec } from '../../src/engine/experiments/judge-drift/spec';
import { cellToRunRecord, storedCellOf } from '../../src/storage/experiment-cell-record';
import { slidesOf } from '../../src/ui/experiments/slides';

const env = process.env;
const preset = env.TUNELAB_EXPERIMENT as PresetId | undefined;

it.skipIf(!preset)('runs an experiment preset on a Node backend', async () => {
  const backend = await initNodeBackend((env.EXP_BACKEND ?? 'wasm') as NodeBackend);
  const spec = exp.presetSpec(preset!);
  if (env.EXP_SEEDS) spec.seeds = Number(env.EXP_SEEDS);
  if (env.EXP_STEPS) spec.fixed.steps = Number(env.EXP_STEPS);
  if (env.EXP_BATCH) spec.fixed.batchSize = Number(env.EXP_BATCH);
  if (env.EXP_LR) spec.fixed.lr = Number(env.EXP_LR);
  if (env.EXP_RANK) spec.fixed.rank = Number(env.EXP_RANK);
  if (env.EXP_TRAIN_SIZE) spec.fixed.trainSize = Number(env.EXP_TRAIN_SIZE);
  if (env.EXP_ADDED_KIND) spec.fixed.addedKind = env.EXP_ADDED_KIND as CellSettings['addedKind'];
  if (env.EXP_AXIS) spec.axes[0].values = env.EXP_AXIS.split(',').map(Number);
  if (env.EXP_AXIS2) spec.axes[1] = { knob: env.EXP_AXIS2.split(':')[0] as exp.KnobName, values: env.EXP_AXIS2.split(':')[1].split(',').map(Number) };
  if (env.EXP_EXTRA !== undefined) {
    spec.extraCells = env.EXP_EXTRA ? env.EXP_EXTRA.split(';').map((e) => Object.fromEntries(e.split(',').map((kv) => [kv.split('=')[0], Number.isNaN(Number(kv.split('=')[1])) ? kv.split('=')[1] : Number(kv.split('=')[1])])) as Partial<CellSettings>) : [];
  }
  if (env.EXP_EVAL_ITEMS) spec.evalItems = Number(env.EXP_EVAL_ITEMS);
  if (env.EXP_EVAL_EVERY) spec.evalEvery = Number(env.EXP_EVAL_EVERY);
  // Judge drift's loop knobs as JSON, e.g. EXP_DRIFT='{"rounds":2,"prompts":8}' (the run prints what it ran).
  if (env.EXP_DRIFT && spec.judgeDrift) spec.judgeDrift = { ...spec.judgeDrift, ...(JSON.parse(env.EXP_DRIFT) as Partial<JudgeDriftSpec>) };
  // The Leakage preset's canaries as JSON, e.g. EXP_LEAKAGE='{"template":"{who}\'s pin is {ddddd}","repetitions":[1,8]}'.
  if (env.EXP_LEAKAGE && spec.leakage) spec.leakage = { ...spec.leakage, ...(JSON.parse(env.EXP_LEAKAGE) as Partial<typeof spec.leakage>) };
  if (env.EXP_BASE) spec.base = env.EXP_BASE;
  if (env.EXP_EVAL_EARLY) spec.evalEarly = { every: Number(env.EXP_EVAL_EARLY.split(':')[0]), until: Number(env.EXP_EVAL_EARLY.split(':')[1]) };
  if (env.EXP_MATCH_TARGET && spec.matched) spec.matched.targetAccuracy = Number(env.EXP_MATCH_TARGET);
  if (env.EXP_TARGET) spec.target = env.EXP_TARGET as SkillName;
  if (env.EXP_ADJACENT) spec.adjacent = env.EXP_ADJACENT.split(',') as SkillName[];
  // The Capability ceiling preset's bases (EXP_BASES, comma-separated) and trained entities (EXP_TRAIN_ENTITIES).
  if (env.EXP_BASES && spec.ceiling) spec.ceiling.bases = env.EXP_BASES.split(',');
  if (env.EXP_TRAIN_ENTITIES && spec.ceiling) spec.ceiling.trainEntities = Number(env.EXP_TRAIN_ENTITIES);
  const models = resolve(env.EXP_MODELS ?? 'public/models');
  const read = async (id: string, file: string) => (existsSync(resolve(models, id, file)) ? new Uint8Array(readFileSync(resolve(models, id, file))) : null);
  const base = await exp.loadExperimentBase(spec.base, read);
  // A ceiling sweep loads every base it names (each cell trains its own base and records that base's sha-256).
  const bases = new Map([[base.id, base]]);
  for (const id of spec.ceiling?.bases ?? []) if (!bases.has(id)) bases.set(id, await exp.loadExperimentBase(id, read));
  const baseOfCell = (cell: exp.Cell) => bases.get(cell.settings.base ?? spec.base)!;
  const weightsSha256 = spec.ceiling ? [...bases.values()].map((b) => `${b.id} ${b.weightsSha256}`).join(', ') : base.weightsSha256;
  const id = exp.experimentId(spec, weightsSha256);
  const suite = exp.experimentSuite(spec);
  const out = resolve(env.EXP_OUT ?? 'scripts/experiments/out');
  const name = env.EXP_NAME ?? spec.preset;
  mkdirSync(out, { recursive: true });
  const jsonFile = resolve(out, `${name}.json`);
  const previous = existsSync(jsonFile) ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as { cells: StoredCell[] }).cells : [];
  const started = Date.now();
  const cells: StoredCell[] = [];
  const loads: number[] = [];
  const onlySeed = env.EXP_ONLY_SEED ? Number(env.EXP_ONLY_SEED) : null;
  const [part, parts] = (env.EXP_PART ?? '0/1').split('/').map(Number);
  const onlyCells = env.EXP_CELLS ? new Set(env.EXP_CELLS.split(',').map(Number)) : null;
  for (const [index, cell] of exp.expandCells(spec).entries()) {
    if ((onlySeed !== null && cell.seed !== onlySeed) || index % parts !== part || (onlyCells && !onlyCells.has(index))) continue;
    const done = previous.find((c) => c.cellKey === cell.key && c.experimentId === id);
    if (done) {
      cells.push(done);
      continue;
    }
    const t0 = Date.now();
    const result = await exp.runCell(baseOfCell(cell), cell, { ceiling: spec.ceiling, experimentId: id, suite, target: spec.target, evalEvery: spec.evalEvery, evalEarly: spec.evalEarly, leakage: spec.leakage, distill: spec.distill, embeddingGap: spec.embeddingGap, embeddingGapTestQueries: spec.evalItems, judgeDrift: spec.judgeDrift, driftEvalItems: spec.evalItems, matched: spec.matched, prompting: spec.prompting, onStep: (step) => {
      loads.push(loadavg()[0]);
      if (step % 10 === 0) console.log(`${cell.key}: step ${step} at ${((Date.now() - t0) / 1000).toFixed(0)} s (load ${loadavg()[0].toFixed(1)})`);
    }, onEval: (point) => console.log(`${cell.key}: eval ${JSON.stringify(point)} at ${((Date.now() - t0) / 1000).toFixed(0)} s`) });
    cells.push(storedCellOf(cellToRunRecord(result, baseOfCell(cell)))!);
    console.log(`${cell.key}: ${JSON.stringify(result.evals.at(-1)!.scores)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    writeFileSync(jsonFile, JSON.stringify({ spec, backend, weightsSha256, cells }, null, 1));
  }
  const load = loads.length ? ` load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)},` : '';
  const lines = [
    `${name}: ${cells.length} runs in ${((Date.now() - started) / 1000).toFixed(0)} s on ${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores,${load} tfjs ${backend} backend, Node); base weights sha-256 ${weightsSha256}`,
    '',
  ];
  for (const slide of slidesOf(spec, cells)) {
    lines.push(`### ${slide.title}`, '', `| series | ${slide.xLabel} | mean [95% interval, seeds and items] | seeds |`, '|---|---|---|---|');
    for (const r of slide.rows) lines.push(`| ${r.series} | ${r.x} | ${r.score} | ${r.n} |`);
    lines.push('', `> ${slide.reading}`, '');
  }
  // Ticket probes whose items split into phrases the cell trained on (under any skill) and phrases it did not.
  const phraseRows: string[] = [];
  for (const cell of cells) {
    const last = cell.evals.at(-1);
    for (const [probe, flags] of Object.entries(cell.seenPhrase ?? {})) {
      const values = last?.items?.[probe];
      if (!values) continue;
      const [seen, unseen] = [true, false].map((k) => exp.accuracyWhere(values, flags, k));
      if (seen && unseen) phraseRows.push(`| ${cell.cellKey} | ${probe} | ${seen.value.toFixed(2)} (${seen.n}) | ${unseen.value.toFixed(2)} (${unseen.n}) |`);
    }
  }
  if (phraseRows.length) lines.push('### Seen- and unseen-phrase exact match at the last eval', '', '| cell | probe | phrase trained (items) | phrase not trained (items) |', '|---|---|---|---|', ...phraseRows, '');
  writeFileSync(resolve(out, `${name}.md`), lines.join('\n'));
  console.log(lines.join('\n'));
}, 24 * 3_600_000);
