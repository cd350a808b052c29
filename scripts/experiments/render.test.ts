// Merges the JSON outputs of run-preset.test.ts (e.g. one process per seed) and prints the tables and readings the
// app would show, plus every run's own numbers, as Markdown (docs/results.md). Skipped unless EXP_RENDER is set:
//   EXP_RENDER=scripts/experiments/out/a.json,scripts/experiments/out/b.json npx vitest run scripts/experiments/render.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { FULL_FT_LR_FACTOR, type ExperimentSpec, type StoredCell } from '../../src/engine/experiments';
import { slidesOf } from '../../src/ui/experiments/slides';

const files = process.env.EXP_RENDER?.split(',').filter(Boolean) ?? [];

function method(cell: StoredCell): string {
  return cell.settings.rank === 0 ? 'full FT' : `LoRA r${cell.settings.rank}`;
}

/** Every Leakage run's own numbers per checkpoint: exposure per repetition count, the controls, extraction, both AUCs. */
function leakageRuns(spec: ExperimentSpec, cells: StoredCell[]): string[] {
  const counts = spec.leakage!.repetitions;
  const head = [...counts.map((r) => `exposure ${r}×`), 'controls', 'extracted', 'AUC loss', 'AUC calibrated'];
  const lines = ['### Every run (exposure in bits, mean of the canaries at each count)', '', `| run | seed | step | epoch | ${head.join(' | ')} | minutes |`, `|---|---|---|---|${head.map(() => '---|').join('')}---|`];
  for (const c of cells) {
    const s = c.settings;
    const lr = s.rank === 0 ? s.lr * FULL_FT_LR_FACTOR : s.lr;
    const name = `${method(c)}, ${s.trainSize} lines + canaries, lr ${Number(lr.toPrecision(3))}, ${s.steps} steps`;
    for (const e of c.evals) {
      const l = e.leakage;
      if (!l) continue;
      const measured = l.canaries.length > 0;
      const exp = counts.map((r) => (measured ? e.scores[`exposure ×${r}`].toFixed(2) : ''));
      const extracted = measured ? `${l.canaries.filter((x) => x.repetitions > 0 && x.extracted).map((x) => `${x.repetitions}×`).join(' ') || 'none'}` : '';
      const last = e === c.evals.at(-1);
      lines.push(`| ${name} | ${c.seed} | ${e.step} | ${l.epoch.toFixed(2)} | ${exp.join(' | ')} | ${measured ? e.scores['exposure control'].toFixed(2) : ''} | ${extracted} | ${e.scores['MIA AUC (loss)'].toFixed(3)} | ${e.scores['MIA AUC (calibrated)'].toFixed(3)} | ${last ? (c.ms / 60000).toFixed(1) : ''} |`);
    }
  }
  return lines;
}

/** Every Leakage run's canaries at its last checkpoint, one by one: each secret's rank of |R| and whether greedy decoding emitted it. */
function leakageCanaries(spec: ExperimentSpec, cells: StoredCell[]): string[] {
  const counts = [...spec.leakage!.repetitions, 0];
  const head = counts.map((r) => (r === 0 ? 'never inserted' : `${r}×`));
  const lines = ['### Every canary at the last checkpoint (rank of the secret among all candidates; ✓ = greedy decoding emitted it)', '', `| run | seed | ${head.join(' | ')} |`, `|---|---|${head.map(() => '---|').join('')}`];
  for (const c of cells) {
    const last = [...c.evals].reverse().find((e) => e.leakage?.canaries.length);
    if (!last) continue;
    const cellsText = counts.map((r) => last.leakage!.canaries.filter((x) => x.repetitions === r).map((x) => `${Math.round(x.rank).toLocaleString('en-US')}${x.extracted ? ' ✓' : ''}`).join(', '));
    lines.push(`| ${method(c)} | ${c.seed} | ${cellsText.join(' | ')} |`);
  }
  return lines;
}

/** Every Distillation run's own numbers: the teacher's share, the student's and teacher's exact match, repeats of the teacher's errors and their chance level. */
function distillRuns(spec: ExperimentSpec, cells: StoredCell[]): string[] {
  const lines = ['### Every run (held-out items)', '', '| teacher wrong share | seed | student exact match | teacher exact match | repeats teacher error | same error where teacher right | train loss (first → last) | minutes |', '|---|---|---|---|---|---|---|---|'];
  const f = (x: number | null | undefined) => (x === undefined || x === null || Number.isNaN(x) ? '—' : x.toFixed(2));
  for (const c of cells) {
    const e = c.evals.at(-1)!;
    const loss = c.losses.length ? `${c.losses[0].toFixed(2)} → ${c.losses.at(-1)!.toFixed(3)}` : '';
    lines.push(`| ${c.settings.labelNoise} | ${c.seed} | ${f(e.scores[spec.target])} | ${f(e.scores['teacher accuracy'])} | ${f(e.scores['repeats teacher error'])} | ${f(e.scores['teacher error by chance'])} | ${loss} | ${(c.ms / 60000).toFixed(1)} |`);
  }
  return lines;
}

it.skipIf(files.length === 0)('renders experiment outputs as Markdown', () => {
  const outputs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as { spec: ExperimentSpec; backend?: string; weightsSha256?: string; cells: StoredCell[] });
  const spec: ExperimentSpec = { ...outputs[0].spec, seeds: Math.max(...outputs.map((o) => o.spec.seeds)) };
  const byKey = new Map<string, StoredCell>();
  for (const o of outputs) for (const c of o.cells) byKey.set(`${c.experimentId}|${c.cellKey}`, c);
  const cells = [...byKey.values()].sort((a, b) => a.seed - b.seed || a.cellKey.localeCompare(b.cellKey));
  const lines = [`Weights sha-256: ${[...new Set(outputs.map((o) => o.weightsSha256))].join(', ')}; backend: ${[...new Set(outputs.map((o) => o.backend))].join(', ')}`, ''];
  for (const slide of slidesOf(spec, cells)) {
    lines.push(`### ${slide.title}`, '', `| series | ${slide.xLabel} | mean [95% interval, seeds and items] | seeds |`, '|---|---|---|---|');
    for (const r of slide.rows) lines.push(`| ${r.series} | ${r.x} | ${r.score} | ${r.n} |`);
    lines.push('', `> ${slide.reading}`, '');
  }
  if (spec.leakage || spec.distill) {
    lines.push(...(spec.leakage ? [...leakageCanaries(spec, cells), '', ...leakageRuns(spec, cells)] : distillRuns(spec, cells)));
    const text = lines.join('\n');
    if (process.env.EXP_RENDER_OUT) writeFileSync(process.env.EXP_RENDER_OUT, text);
    console.log(text);
    return;
  }
  const probes = [spec.target, ...spec.adjacent, ...(spec.adjacent.length ? ['held-out text'] : [])];
  lines.push('### Every run', '', `| run | seed | step | ${probes.join(' | ')} | train loss (first → last) | minutes |`, `|---|---|---|${probes.map(() => '---|').join('')}---|---|`);
  for (const c of cells) {
    const s = c.settings;
    const lr = s.rank === 0 ? s.lr * FULL_FT_LR_FACTOR : s.lr; // full fine-tuning runs at the preset's lr × FULL_FT_LR_FACTOR
    const name = `${method(c)}, ${s.trainSize} clean${s.addedSize ? ` + ${s.addedSize} ${s.addedKind}` : ''}, lr ${Number(lr.toPrecision(3))}, ${s.steps} steps`;
    for (const e of c.evals) {
      const scores = probes.map((p) => (e.scores[p] === undefined ? '' : e.scores[p].toFixed(2)));
      const last = e === c.evals.at(-1);
      const loss = last && c.losses.length ? `${c.losses[0].toFixed(2)} → ${c.losses.at(-1)!.toFixed(3)}` : '';
      lines.push(`| ${name} | ${c.seed} | ${e.step} | ${scores.join(' | ')} | ${loss} | ${last ? (c.ms / 60000).toFixed(1) : ''} |`);
    }
  }
  const text = lines.join('\n');
  if (process.env.EXP_RENDER_OUT) writeFileSync(process.env.EXP_RENDER_OUT, text);
  console.log(text);
});
