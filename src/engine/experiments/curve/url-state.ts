// A learning curve's setup in the page's query string: the data by its content hash, the model by name, the shares,
// seeds, match metric and the run settings; the user's rows never go in the link.
import type { TrainHyperparameters } from '../../train/settings';
import { sliceNeedsValue, type CurveSlice } from './slice';
import { DEFAULT_CURVE_SEEDS, DEFAULT_FRACTIONS, type CurveMatch, type CurveModelRef } from './spec';

export const CURVE_VIEW = 'curve';

export interface CurveLink {
  datasetSha256: string | null;
  model: CurveModelRef | null;
  fractions: number[];
  seeds: number;
  match: CurveMatch;
  hyper: TrainHyperparameters | null;
  /** The data-quality sweep's slice; null for a learning curve. */
  slice?: CurveSlice | null;
  /** Parameters that could not be read, in words. */
  notices: string[];
}

export function isCurveView(q: URLSearchParams): boolean {
  return q.get('view') === CURVE_VIEW;
}

export function curveToQuery(link: Omit<CurveLink, 'notices'>): URLSearchParams {
  const q = new URLSearchParams({ view: CURVE_VIEW });
  if (link.datasetSha256) q.set('data', link.datasetSha256);
  if (link.model) q.set('model', `${link.model.kind}:${link.model.baseId ?? ''}:${link.model.name}`);
  q.set('fractions', link.fractions.join(','));
  q.set('seeds', String(link.seeds));
  q.set('match', link.match);
  if (link.hyper) q.set('settings', JSON.stringify(link.hyper));
  if (link.slice) q.set('slice', `${link.slice.kind}:${link.slice.value ?? ''}`);
  return q;
}

const MODEL_KINDS = ['tiny-gpt2', 'tiny-world', 'loaded'];

export function curveFromQuery(q: URLSearchParams): CurveLink {
  const notices: string[] = [];
  const link: CurveLink = { datasetSha256: null, model: null, fractions: [...DEFAULT_FRACTIONS], seeds: DEFAULT_CURVE_SEEDS, match: 'auto', hyper: null, notices };
  const data = q.get('data');
  if (data !== null && /^[0-9a-f]{64}$/.test(data)) link.datasetSha256 = data;
  else if (data !== null) notices.push(`The link's dataset “${data}” is not a content hash (64 hex digits); pick the data below.`);
  const model = q.get('model');
  if (model !== null) {
    const [kind, baseId, ...name] = model.split(':');
    if (MODEL_KINDS.includes(kind)) link.model = { kind: kind as CurveModelRef['kind'], ...(baseId && { baseId }), name: name.join(':') };
    else notices.push(`The link's model “${model}” could not be read; the current model is used.`);
  }
  const fractions = q.get('fractions');
  if (fractions !== null) {
    const values = fractions.split(',').map(Number);
    if (values.length && values.every((v) => Number.isFinite(v))) link.fractions = values;
    else notices.push(`The link's shares “${fractions}” are not numbers; the default shares are used.`);
  }
  const seeds = q.get('seeds');
  if (seeds !== null && Number.isInteger(Number(seeds))) link.seeds = Number(seeds);
  else if (seeds !== null) notices.push(`The link's seeds “${seeds}” is not a whole number; ${DEFAULT_CURVE_SEEDS} is used.`);
  const match = q.get('match');
  if (match === 'auto' || match === 'exact' || match === 'none') link.match = match;
  else if (match !== null) notices.push(`The link's match metric “${match}” is not auto, exact or none; auto is used.`);
  const settings = q.get('settings');
  if (settings !== null) {
    try {
      const parsed = JSON.parse(settings) as TrainHyperparameters;
      if (typeof parsed === 'object' && parsed && typeof parsed.steps === 'number' && typeof parsed.batchSize === 'number' && typeof parsed.learningRate === 'number' && parsed.lora) link.hyper = parsed;
      else notices.push("The link's run settings are incomplete; the Train page's settings are used.");
    } catch {
      notices.push("The link's run settings could not be read; the Train page's settings are used.");
    }
  }
  const slice = q.get('slice');
  if (slice !== null) {
    const [kind, ...value] = slice.split(':');
    if (kind === 'duplicates' || kind === 'near-duplicates' || kind === 'pii' || kind === 'cohort' || kind === 'tag') link.slice = { kind, ...(sliceNeedsValue(kind) && { value: value.join(':') }) };
    else notices.push(`The link's slice “${slice}” is not a cohort, tag, the duplicates, the near-duplicates or the rows with personal data; the learning curve is shown.`);
  }
  return link;
}
