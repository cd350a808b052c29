// Draws an Observable Plot chart sized to its text: type at the surrounding font size, margins and tick density in ems,
// then measured in the page and redrawn with wider margins until no label falls outside the chart (nothing clipped).
import * as Plot from '@observablehq/plot';

export interface ChartFrame {
  /** Chart width and height in CSS px; the height includes any legend above the chart. */
  width: number;
  height: number;
  /** Font size of the chart's text in CSS px (the type scale around it). */
  fontPx: number;
}

type Side = 'Top' | 'Right' | 'Bottom' | 'Left';
type Margins = Record<`margin${Side}`, number>;
const SIDES: Side[] = ['Top', 'Right', 'Bottom', 'Left'];
const MAX_PASSES = 4;

/** Margins that fit Plot's axis layout at this font: the y title above the top tick, the x title below the tick labels. */
function startMargins(options: Plot.PlotOptions, em: number): Margins {
  return {
    marginTop: options.marginTop ?? Math.ceil(2 * em + 4),
    marginRight: options.marginRight ?? Math.ceil(1.5 * em),
    // tick (6) + padding (3) + a line of tick labels + a line for the axis title + 3 below it
    marginBottom: options.marginBottom ?? Math.ceil(2.6 * em + 12),
    marginLeft: options.marginLeft ?? Math.ceil(3 * em),
  };
}

/** The chart's own svg: Plot returns it, or a figure holding legends and it. */
export function chartSvg(chart: Element): SVGSVGElement | null {
  if (chart instanceof SVGSVGElement) return chart;
  return chart.querySelector(':scope > svg');
}

/** Axis titles: Plot pins them 3 px from the svg's edges, so a wider margin never moves them. */
const AXIS_TITLE = 'g[aria-label$="axis label"] text';

function textOverflow(text: SVGTextElement, box: DOMRect): Record<Side, number> {
  const r = text.getBoundingClientRect();
  return { Top: box.top - r.top, Right: r.right - box.right, Bottom: r.bottom - box.bottom, Left: box.left - r.left };
}

/** How far (CSS px) text other than the axis titles sticks out of the svg on each side. */
function overflow(svg: SVGSVGElement): Record<Side, number> {
  const box = svg.getBoundingClientRect();
  const out = { Top: 0, Right: 0, Bottom: 0, Left: 0 };
  for (const text of svg.querySelectorAll('text')) {
    if (!text.textContent?.trim() || text.matches(AXIS_TITLE)) continue;
    const o = textOverflow(text, box);
    for (const side of SIDES) out[side] = Math.max(out[side], o[side]);
  }
  return out;
}

/** An axis title whose glyphs (parentheses, arrows) reach past the edge is moved in by that much. */
function nudgeAxisTitles(svg: SVGSVGElement): void {
  const box = svg.getBoundingClientRect();
  for (const text of svg.querySelectorAll<SVGTextElement>(AXIS_TITLE)) {
    const o = textOverflow(text, box);
    const dx = Math.max(0, o.Left) - Math.max(0, o.Right);
    const dy = Math.max(0, o.Top) - Math.max(0, o.Bottom);
    if (dx === 0 && dy === 0) continue;
    text.setAttribute('transform', `${text.getAttribute('transform') ?? ''} translate(${Math.ceil(Math.abs(dx) + 1) * Math.sign(dx)},${Math.ceil(Math.abs(dy) + 1) * Math.sign(dy)})`);
  }
}

/** Scale options with tick counts that leave room for labels at this font size (the caller's choices win). */
function scaleDefaults(scale: Plot.ScaleOptions | undefined, fallbackTicks: number, em: number): Plot.ScaleOptions {
  return { ticks: Math.max(2, fallbackTicks), inset: Math.ceil(0.5 * em), ...scale };
}

function legendDefaults(scale: Plot.ScaleOptions | undefined, em: number): Plot.ScaleOptions | undefined {
  if (!scale?.legend) return scale;
  return { swatchSize: Math.round(em * 0.9), ...scale } as Plot.ScaleOptions;
}

function plotOnce(options: Plot.PlotOptions, frame: ChartFrame, margins: Margins, chartHeight: number): Element {
  const em = frame.fontPx;
  // A frame of at least a few lines of text, however small the room (a stage before layout, a narrow window).
  const height = Math.max(chartHeight, margins.marginTop + margins.marginBottom + Math.ceil(4 * em));
  const width = Math.max(frame.width, margins.marginLeft + margins.marginRight + Math.ceil(6 * em));
  const innerWidth = width - margins.marginLeft - margins.marginRight;
  const innerHeight = height - margins.marginTop - margins.marginBottom;
  return Plot.plot({
    ...options,
    ...margins,
    width,
    height,
    style: { background: 'transparent', fontSize: `${em}px` },
    x: scaleDefaults(options.x, Math.floor(innerWidth / (10 * em)), em),
    y: scaleDefaults(options.y, Math.floor(innerHeight / (3 * em)), em),
    color: legendDefaults(options.color, em),
    symbol: legendDefaults(options.symbol, em),
  });
}

/**
 * Appends the chart to `node` and returns it. Each pass measures the drawn text; any label outside the svg widens
 * that side's margin by the overflow, and the chart is drawn again (at most a few passes; margins only grow).
 */
export function drawFitted(node: Element, options: Plot.PlotOptions, frame: ChartFrame): Element {
  const margins = startMargins(options, frame.fontPx);
  let height = frame.height;
  let chart = plotOnce(options, frame, margins, height);
  node.append(chart);
  for (let pass = 1; pass < MAX_PASSES; pass++) {
    const svg = chartSvg(chart);
    if (!svg) break;
    // Legends sit above the svg inside the chart's height: the svg gets what they leave.
    const legends = chart === svg ? 0 : chart.getBoundingClientRect().height - svg.getBoundingClientRect().height;
    const fitted = Math.max(120, Math.floor(frame.height - legends));
    const out = overflow(svg);
    const grow = SIDES.filter((side) => out[side] > 0.5);
    if (grow.length === 0 && fitted === height) break;
    for (const side of grow) margins[`margin${side}`] += Math.ceil(out[side]) + 2;
    height = fitted;
    const next = plotOnce(options, frame, margins, height);
    chart.replaceWith(next);
    chart = next;
  }
  const svg = chartSvg(chart);
  if (svg) nudgeAxisTitles(svg);
  // The container is a labelled image (role img) whose numbers are in the text summary and table beside it; Plot's
  // aria-labels on plain <g> groups are not allowed there, so the drawing itself is hidden from assistive technology.
  chart.setAttribute('aria-hidden', 'true');
  return chart;
}
