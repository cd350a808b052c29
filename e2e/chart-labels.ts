// Legibility of every rendered chart, measured in the page: no text outside the chart's visible box (clipped), no tick
// label overlapping another of its axis or the axis title, and no text smaller than a given size.
import { expect, type Locator } from '@playwright/test';

export interface ChartReport {
  chart: string;
  /** Chart svg box as shown (after the container's clipping), CSS px. */
  width: number;
  height: number;
  texts: number;
  smallestFontPx: number;
  problems: string[];
}

/** Measures every chart (figure.chart) under `root`; run in the page, so it sees the real layout and fonts. */
export async function measureCharts(root: Locator): Promise<ChartReport[]> {
  return root.locator('figure.chart').evaluateAll((figures) => {
    type Box = { left: number; top: number; right: number; bottom: number };
    const box = (e: Element): Box => {
      const r = e.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const TOL = 0.5;
    const overlap = (a: Box, b: Box) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > TOL && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > TOL;
    const fmt = (b: Box) => `[${b.left.toFixed(0)},${b.top.toFixed(0)} → ${b.right.toFixed(0)},${b.bottom.toFixed(0)}]`;
    return figures.map((figure) => {
      const name = figure.getAttribute('aria-label') ?? '?';
      const plot = figure.querySelector('.plot')!;
      // Plot returns the svg itself, or a figure (legends + svg) whose chart svg is a direct child.
      const svg = plot.querySelector(':scope > svg, :scope > figure > svg')!;
      const problems: string[] = [];
      if (!svg) return { chart: name, width: 0, height: 0, texts: 0, smallestFontPx: 0, problems: ['no chart svg'] };
      const s = box(svg);
      const p = box(plot);
      const visible = { left: Math.max(s.left, p.left), top: Math.max(s.top, p.top), right: Math.min(s.right, p.right), bottom: Math.min(s.bottom, p.bottom) };
      const texts = [...svg.querySelectorAll('text')].filter((t) => (t.textContent ?? '').trim() !== '');
      const legends = [...plot.querySelectorAll(':scope > figure > div')].filter((e) => (e.textContent ?? '').trim() !== '');
      let smallest = Infinity;
      for (const t of [...texts, ...legends]) smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize));
      for (const t of texts) {
        const b = box(t);
        if (b.left < visible.left - TOL || b.right > visible.right + TOL || b.top < visible.top - TOL || b.bottom > visible.bottom + TOL) {
          problems.push(`"${t.textContent}" ${fmt(b)} is outside the chart ${fmt(visible)} (clipped)`);
        }
      }
      const ticks = [...svg.querySelectorAll('g[aria-label$="tick label"]')].map((g) => [...g.querySelectorAll('text')]);
      const titles = [...svg.querySelectorAll('g[aria-label$="axis label"] text')];
      for (const group of ticks) {
        for (let i = 0; i < group.length; i++) {
          for (let j = i + 1; j < group.length; j++) {
            if (overlap(box(group[i]), box(group[j]))) problems.push(`tick labels "${group[i].textContent}" and "${group[j].textContent}" overlap`);
          }
        }
      }
      for (const title of titles) {
        for (const t of ticks.flat()) if (overlap(box(title), box(t))) problems.push(`axis title "${title.textContent}" overlaps tick label "${t.textContent}"`);
      }
      return { chart: name, width: visible.right - visible.left, height: visible.bottom - visible.top, texts: texts.length, smallestFontPx: smallest, problems };
    });
  });
}

/** Every chart under `root` is legible: labels inside, no overlaps, text at least `minFontPx`; returns the reports. */
export async function expectLegibleCharts(root: Locator, minFontPx: number, where: string): Promise<ChartReport[]> {
  const reports = await measureCharts(root);
  expect(reports.length, `charts on ${where}`).toBeGreaterThan(0);
  for (const r of reports) {
    expect(r.texts, `${where} · ${r.chart}: text labels`).toBeGreaterThan(0);
    expect(r.problems, `${where} · ${r.chart}`).toEqual([]);
    expect(r.smallestFontPx, `${where} · ${r.chart}: smallest chart text (px)`).toBeGreaterThanOrEqual(minFontPx);
  }
  return reports;
}

