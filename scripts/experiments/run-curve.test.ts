// Measures a learning curve in Node on a realistic user-shaped dataset (docs/results.md): a Tiny World ticket set is
// exported as plain JSONL, re-imported through the app's JSONL parser and split as the Data page splits it, then each
// cell (a share of the distinct training examples × a seed) is fine-tuned and scored by the curve job's own code.
// Skipped unless TUNELAB_CURVE is set, e.g.:
//   TUNELAB_CURVE=1 CURVE_ONLY_SEED=1 CURVE_NAME=tick-s1 npx vitest run scripts/experiments/run-curve.test.ts
// Knobs: CURVE_ROWS (200), CURVE_SKILL (TICK), CURVE_DATA_SEED (7), CURVE_BASE (tiny-world-800k), CURVE_STEPS (40),
// CURVE_BATCH (8), CURVE_LR (3e-3), CURVE_SEEDS (3), CURVE_FRACTIONS (0.125,0.25,0.5,1), CURVE_ONLY_SEED, CURVE_NAME,
// CURVE_OUT (scripts/experiments/out). CURVE_RENDER=a.json,b.json prints the merged estimate, fit and reading instead.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { it } from 'vitest';
import { initNodeBackend } from './backend';
import { importDataset } from '../../src/engine/data/import-dataset';
import { datasetContentHash } from '../../src/engine/data/dataset-hash';
import { parseModelConfig } from '../../src/engine/hub/architecture';
import { readSafetensors } from '../../src/engine/io/safetensors-read';
import { modelDims } from '../../src/engine/models/dims';
import { loadTokenizer } from '../../src/engine/tokenizers/load';
import { loraConfigOf } from '../../src/engine/train/settings';
import { generateWorldDataset, type SkillName } from '../../src/engine/world';
import { sha256OfBytes } from '../../src/engine/hub/hash';
import { cellHyper, curveId, expandCurveCells, DEFAULT_FRACTIONS, type CurveSpec } from '../../src/engine/experiments/curve/spec';
import { distinctIds, nestedSubsets } from '../../src/engine/experiments/curve/subsets';
import { validateCurve, scoresExact } from '../../src/engine/experiments/curve/validate';
import { estimateCurve, type CurveCellItems } from '../../src/engine/experiments/curve/estimate';
import { curveReading, fitWords } from '../../src/engine/experiments/curve/reading';
import { recordToRow } from '../../src/storage/dataset-rows';
import { defaultHyperparameters } from '../../src/ui/state/hyperparameters';
import { encodeWithTokenizer } from '../../workers/helpers/base-model';
import { loadEngine } from '../../workers/helpers/load-engine';
import { runCurveCell } from '../../workers/helpers/curve-cell';
import type { TokenizedExample } from '../../src/engine/data/example';

const env = process.env;
const out = resolve(env.CURVE_OUT ?? 'scripts/experiments/out');

interface CellOut extends CurveCellItems {
  key: string;
  fraction: number;
  rows: number;
  losses: number[];
  trainMs: number;
  evalMs: number;
  ms: number;
}

it.skipIf(!env.TUNELAB_CURVE || env.CURVE_RENDER)('measures a learning curve on an exported and re-imported ticket set', async () => {
  const backend = await initNodeBackend('wasm');
  const rowsWanted = Number(env.CURVE_ROWS ?? 200);
  const skill = (env.CURVE_SKILL ?? 'TICK') as SkillName;
  const world = generateWorldDataset({ mix: { [skill]: 1 }, size: rowsWanted, split: 'train', seed: Number(env.CURVE_DATA_SEED ?? 7) });
  // Exported as a user would hold it: one {"prompt","completion"} object per line, nothing else.
  const jsonl = world.examples.map((e) => JSON.stringify({ prompt: e.prompt, completion: e.completion })).join('\n') + '\n';
  mkdirSync(out, { recursive: true });
  writeFileSync(resolve(out, `${skill.toLowerCase()}-${rowsWanted}.jsonl`), jsonl);
  const imported = await importDataset(jsonl, { name: `${skill.toLowerCase()}-tickets.jsonl` });
  const rows = imported.records.map((r) => recordToRow(r, 1234)); // the Data page's split seed (DEFAULT_SPLIT_SEED)
  const sha = await datasetContentHash(imported.records);

  const baseId = env.CURVE_BASE ?? 'tiny-world-800k';
  const dir = resolve('public/models', baseId);
  const weightBytes = new Uint8Array(readFileSync(resolve(dir, 'model.safetensors')));
  const config = parseModelConfig(JSON.parse(readFileSync(resolve(dir, 'config.json'), 'utf8')));
  const tokenizer = loadTokenizer(JSON.parse(readFileSync(resolve(dir, 'tokenizer.json'), 'utf8')) as object);
  const weightsSha = await sha256OfBytes(weightBytes);
  const context = modelDims(config).maxPositions;

  const hyper = { ...defaultHyperparameters(), steps: Number(env.CURVE_STEPS ?? 40), batchSize: Number(env.CURVE_BATCH ?? 8), learningRate: Number(env.CURVE_LR ?? 3e-3), baseWeights: 'f32' as const };
  const spec: CurveSpec = { datasetSha256: sha, fractions: env.CURVE_FRACTIONS ? env.CURVE_FRACTIONS.split(',').map(Number) : DEFAULT_FRACTIONS, seeds: Number(env.CURVE_SEEDS ?? 3), match: 'auto', hyper };
  const train = new Map<string, TokenizedExample[]>();
  const heldOutRows = rows.filter((r) => r.split !== 'train');
  for (const row of rows.filter((r) => r.split === 'train')) train.set(row.id, [...(train.get(row.id) ?? []), encodeWithTokenizer(row, tokenizer, context)]);
  const heldOut = heldOutRows.map((r) => encodeWithTokenizer(r, tokenizer, context));
  const facts = { distinctTrain: train.size, heldOut: heldOutRows.length, heldOutWithReference: heldOutRows.filter((r) => r.prompt && r.completion).length };
  const problems = validateCurve(spec, facts);
  if (problems.length) throw new Error(problems.map((p) => p.message).join(' '));
  const exact = scoresExact(spec.match, facts);
  const id = curveId(spec, weightsSha);
  const ids = distinctIds(train.keys());
  const name = env.CURVE_NAME ?? 'curve';
  const file = resolve(out, `${name}.json`);
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { cells: CellOut[] }).cells : [];
  const cells: CellOut[] = [...previous];
  const engine = await loadEngine();
  const setup = { config, initSeed: 0, weights: readSafetensors(weightBytes), method: hyper.method, lora: loraConfigOf(hyper.lora) };
  const onlySeed = env.CURVE_ONLY_SEED ? Number(env.CURVE_ONLY_SEED) : null;
  const loads: number[] = [];
  for (const cell of expandCurveCells(spec)) {
    if ((onlySeed !== null && cell.seed !== onlySeed) || cells.some((c) => c.key === cell.key)) continue;
    const t0 = performance.now();
    const subset = nestedSubsets(ids, spec.fractions, cell.seed).get(cell.fraction)!;
    const examples = ids.filter((rowId) => subset.has(rowId)).flatMap((rowId) => train.get(rowId)!);
    const run = await runCurveCell(engine, setup, cellHyper(spec, cell.seed), examples, heldOut, exact);
    loads.push(loadavg()[0]);
    cells.push({ key: cell.key, fraction: cell.fraction, seed: cell.seed, n: subset.size, rows: examples.length, ...run.heldOut, losses: run.losses, trainMs: run.timing.trainMs, evalMs: run.timing.evalMs, ms: performance.now() - t0 });
    writeFileSync(file, JSON.stringify({ id, backend, dataset: { sha256: sha, rows: rows.length, ...facts }, weightsSha256: weightsSha, spec, cells }, null, 1));
    console.log(`${cell.key}: n=${subset.size} ${(run.timing.trainMs / hyper.steps / 1000).toFixed(2)} s/step, eval ${(run.timing.evalMs / 1000).toFixed(1)} s, load ${loadavg()[0].toFixed(1)}`);
  }
}, 24 * 3600_000);

it.skipIf(!env.CURVE_RENDER)('renders merged curve outputs: per-size table, fit and reading', () => {
  const files = env.CURVE_RENDER!.split(',');
  const parts = files.map((f) => JSON.parse(readFileSync(resolve(f), 'utf8')) as { cells: CellOut[]; dataset: unknown; weightsSha256: string; spec: CurveSpec });
  const cells = parts.flatMap((p) => p.cells);
  console.log(JSON.stringify({ dataset: parts[0].dataset, weights: parts[0].weightsSha256, hyper: parts[0].spec.hyper }, null, 1));
  for (const metric of ['loss', 'error'] as const) {
    const e = estimateCurve(cells, metric, { resamples: 2000 });
    console.log(`\n${metric}: ${fitWords(e)}`);
    for (const p of e.points) console.log(`| ${p.n} | ${p.seeds} | ${metric === 'error' ? (100 * (1 - p.mean)).toFixed(1) + '%' : p.mean.toFixed(3)} | ${metric === 'error' ? `${(100 * (1 - p.hi)).toFixed(1)}–${(100 * (1 - p.lo)).toFixed(1)}%` : `${p.lo.toFixed(3)}–${p.hi.toFixed(3)}`} |`);
    console.log(curveReading(e));
  }
  for (const c of cells) {
    const acc = c.correct.reduce((s, x) => s + x, 0) / c.targets.reduce((s, x) => s + x, 0);
    const loss = c.nll.reduce((s, x) => s + x, 0) / c.weight.reduce((s, x) => s + x, 0);
    const em = c.exact ? c.exact.reduce((s, x) => s + x, 0) / c.exact.length : NaN;
    console.log(`| ${c.seed} | ${c.n} | ${c.rows} | ${loss.toFixed(3)} | ${(100 * acc).toFixed(1)}% | ${(100 * em).toFixed(1)}% | ${(c.trainMs / c.losses.length / 1000).toFixed(2)} | ${(c.ms / 1000).toFixed(0)} |`);
  }
});
