// Text labels that would sit on top of each other (curve ends at the same value, points at the same spot) are moved
// apart vertically, so every name stays readable; a Plot render transform working in pixels, at the chart's font size.
import type * as Plot from '@observablehq/plot';

export interface LabelBox {
  /** Horizontal extent and baseline-free vertical centre, in pixels. */
  x0: number;
  x1: number;
  y: number;
}

/**
 * New vertical centres: from the bottom up, each label that overlaps one already placed (horizontally, and closer than
 * `gap` vertically) moves up to just above it. Labels that do not collide keep their place.
 */
export function placeLabels(labels: readonly LabelBox[], gap: number): number[] {
  const order = labels.map((_, i) => i).sort((a, b) => labels[b].y - labels[a].y || a - b);
  const placed: { x0: number; x1: number; y: number }[] = [];
  const out = labels.map((l) => l.y);
  for (const i of order) {
    const { x0, x1 } = labels[i];
    let y = labels[i].y;
    for (let moved = true; moved; ) {
      moved = false;
      for (const p of placed) {
        // Only ever upwards: in floating point, |p.y - (p.y - gap)| can still read as less than gap.
        if (p.x1 > x0 && p.x0 < x1 && Math.abs(p.y - y) < gap && p.y - gap < y) {
          y = p.y - gap;
          moved = true;
        }
      }
    }
    placed.push({ x0, x1, y });
    out[i] = y;
  }
  return out;
}

/** Average advance of one character, in em: a generous estimate for the UI font's digits and capitals. */
const CHAR_EM = 0.62;

/** Render transform for Plot.text: dodges colliding labels by one line height (1.15 em of the chart's font). */
export function dodgeLabels(textAnchor: 'start' | 'middle' | 'end' = 'middle'): Plot.RenderFunction {
  return (index, scales, values, dimensions, context, next) => {
    const fontPx = parseFloat(context.ownerSVGElement.style.fontSize) || 12;
    const xs = values.x as ArrayLike<number> | undefined;
    const ys = values.y as ArrayLike<number> | undefined;
    const texts = values.text as ArrayLike<unknown> | undefined;
    if (!xs || !ys || !texts) return next!(index, scales, values, dimensions, context);
    // Plot's index is a typed array: map it through Array.from, or the boxes become numbers.
    const labels = Array.from(index, (i) => {
      const w = String(texts[i] ?? '').length * CHAR_EM * fontPx;
      const x0 = textAnchor === 'start' ? xs[i] : textAnchor === 'end' ? xs[i] - w : xs[i] - w / 2;
      return { x0, x1: x0 + w, y: ys[i] };
    });
    const placed = placeLabels(labels, fontPx * 1.15);
    const y = Array.from(ys);
    Array.from(index).forEach((i, k) => (y[i] = placed[k]));
    return next!(index, scales, Object.assign({}, values, { y }), dimensions, context);
  };
}
