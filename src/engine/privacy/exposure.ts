// Canary exposure (Carlini et al. 2019): log2|R| − log2 rank of the secret by the model's log-likelihood, exact or sampled.
import { ExposureSpaceError, JobCancelledError } from '../errors';
import { Rng } from '../rng';
import { candidateChoices, candidateCount, candidateIndex, canaryPrefix, parseCanaryTemplate, renderCanary, secretSpan, type CanaryTemplate } from './canary-template';
import type { PrefixStep, PrivacyModel } from './privacy-model';
import { fitSkewNormal, skewNormalLogCdf } from './skew-normal';

/** Exact ranking enumerates at most this many candidates by default (the issue asks for ≥ 10^5). */
export const EXACT_RANK_LIMIT = 1_000_000;
/** Candidates the sampled estimate scores. */
export const ESTIMATE_SAMPLES = 10_000;

export interface ExposureTokenizer {
  encode(text: string): number[];
}

export interface ExposureOptions {
  /** Allowed to estimate by sampling when |R| exceeds exactLimit (else ExposureSpaceError). */
  allowEstimate?: boolean;
  exactLimit?: number;
  samples?: number;
  /** Seed of the estimate's sample. */
  seed?: number;
  signal?: AbortSignal;
  /** Candidates scored so far of the total the ranking will score. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Skip tree nodes that cannot outrank any secret (default true): exact, since a log-prob is ≤ 0, a node's leaves
   * score at most what the node does. False expands every node (the worst case's cost, for the bench).
   */
  prune?: boolean;
}

export interface ExposureResult {
  method: 'exact' | 'estimate';
  /** |R| */
  candidates: number;
  /** 1 + the candidates with a strictly higher log-likelihood (exact), or |R| × the fitted tail probability (estimate). */
  rank: number;
  exposure: number;
  /** Log-likelihood (nats) of the secret's slot-and-suffix tokens given the prefix: the quantity ranked. */
  secretLogLikelihood: number;
  /** How the exact scores were computed: the prefix tree (one forward per tree node) or every candidate in full. */
  path: 'prefix-tree' | 'full' | 'sampled';
  /** Sequences (tree nodes or candidates) fed through the model. */
  forwardRows: number;
}

/** Rows per scoreRows call: bounds the host memory of one call (and the gap between progress reports). */
const CHUNK_ROWS = 2048;

function cancelled(): JobCancelledError {
  return new JobCancelledError('Ranking the canary candidates was cancelled.', 'Start the privacy report again when ready.');
}

interface TreePlan {
  prefix: number[];
  /** Per element: the one token id of each option. */
  optionIds: number[][];
  /** Fixed-text ids after each element (the last entry is the suffix). */
  after: number[][];
}

/**
 * The prefix tree applies when the tokenizer encodes the canary piece by piece (a character tokenizer) and every
 * option of every slot element is one token; then the log-likelihood of element k's options comes from one forward
 * pass of each distinct prefix. Checked on the candidate itself: encode(whole) must equal the pieces joined.
 */
function treePlan(template: CanaryTemplate, tokenizer: ExposureTokenizer, choices: readonly number[]): TreePlan | null {
  const prefix = tokenizer.encode(canaryPrefix(template));
  const optionIds: number[][] = [];
  const after: number[][] = [];
  let k = -1;
  for (const part of template.parts.slice(1)) {
    if (typeof part === 'string') {
      after[k] = tokenizer.encode(part);
      continue;
    }
    const ids = part.options.map((o) => tokenizer.encode(o));
    if (ids.some((x) => x.length !== 1)) return null;
    optionIds.push(ids.map((x) => x[0]));
    k++;
    after[k] = [];
  }
  const joined = [...prefix];
  optionIds.forEach((ids, e) => joined.push(ids[choices[e]], ...after[e]));
  const whole = tokenizer.encode(renderCanary(template, choices));
  if (whole.length !== joined.length || whole.some((id, i) => id !== joined[i])) return null;
  return { prefix, optionIds, after };
}

/**
 * Logits one shared-prefix step may hold ([rows, vocab] floats): bounds the rows of one tree step, so a level of the
 * tiny models (10^4 nodes, vocabulary ≤ 800) is one forward pass, and a 50k vocabulary still fits a GPU buffer.
 */
const CACHED_LOGITS = 1 << 23;

/** Log-prob of option `o` (token id `id`) after row r of a step: from `picked` when the model honoured the pick. */
function nextLogProb(step: PrefixStep, r: number, o: number, id: number, options: number): number {
  return step.picked ? step.picked[r * options + o] : step.next[r * step.vocab + id];
}

/**
 * Nats the pruning floor stays below the secrets' scores as first estimated (their path alone, in small batches): far
 * above the float32 drift between batch shapes (~1e-5) and a log-softmax's rounding above 0 (~1e-7 per token).
 */
const PRUNE_MARGIN = 0.01;

/** Per element e: the tree rows a child made at e would feed, itself included, when nothing under it is pruned. */
function rowsUnder(plan: TreePlan): number[] {
  const E = plan.optionIds.length;
  const suffix = plan.after[E - 1].length > 0;
  const out = new Array<number>(E);
  out[E - 1] = suffix ? 1 : 0;
  for (let e = E - 2; e >= 0; e--) out[e] = 1 + plan.optionIds[e + 1].length * out[e + 1];
  return out;
}

/**
 * Each secret's log-likelihood fed along its own path only (one row per secret and element): the estimate the pruning
 * floor is set from. The tree's own scores for the secrets are what ranks them; this only bounds what may be skipped.
 */
async function secretPathScores(extend: NonNullable<PrivacyModel['extendPrefix']>, root: PrefixStep, plan: TreePlan, secrets: readonly (readonly number[])[]): Promise<Float64Array> {
  const E = plan.optionIds.length;
  const k = secrets.length;
  const sums = new Float64Array(k);
  let step = root;
  let parents = new Int32Array(k); // all rows branch off the root's one row
  try {
    for (let e = 0; e < E; e++) {
      const opts = plan.optionIds[e];
      for (let i = 0; i < k; i++) sums[i] += nextLogProb(step, parents[i], secrets[i][e], opts[secrets[i][e]], opts.length);
      if (e === E - 1 && plan.after[e].length === 0) break;
      const child = await extend(step.state, parents, secrets.map((c) => [opts[c[e]], ...plan.after[e]]), e === E - 1 ? [] : plan.optionIds[e + 1]);
      for (let i = 0; i < k; i++) sums[i] += child.sums[i];
      if (step !== root) step.state.dispose();
      step = child;
      parents = Int32Array.from({ length: k }, (_, i) => i);
    }
  } finally {
    if (step !== root) step.state.dispose();
  }
  return sums;
}

/**
 * The prefix tree with the model's key/value cache: the prefix is fed once, and each tree node feeds only its own
 * option token (and the fixed text after it) on top of its parent's cache, a whole level per forward pass where the
 * logits fit (else depth first in chunks, so only one chunk per level is held). Only the next element's options'
 * log-probs are read back (one float per child), never whole logits. The last element's nodes are never fed unless
 * a suffix follows: a leaf's score is its parent's log-prob at the leaf's option.
 *
 * Nodes scoring below `floor` are not expanded: every log-prob is ≤ 0, so no leaf under such a node can score above
 * it, and its leaves are left at −∞ (they outrank no secret at or above the floor). Candidate scores come out in
 * candidateChoices order.
 */
async function cachedTreeScores(model: PrivacyModel, plan: TreePlan, total: number, options: ExposureOptions, secrets: readonly (readonly number[])[]): Promise<{ scores: Float64Array; rows: number; floor: number }> {
  const extend = model.extendPrefix!.bind(model);
  const E = plan.optionIds.length;
  const suffix = plan.after[E - 1];
  const scores = new Float64Array(total).fill(-Infinity);
  const under = rowsUnder(plan);
  const forwardTotal = 1 + plan.optionIds[0].length * under[0];
  let rows = 1;
  let settled = 1; // rows fed or skipped, for progress
  const root = await extend(null, null, [plan.prefix], plan.optionIds[0]);
  let floor = -Infinity;
  try {
    if (options.prune !== false) floor = Math.min(...(await secretPathScores(extend, root, plan, secrets))) - PRUNE_MARGIN;
    const chunkRows = Math.max(1, Math.floor(CACHED_LOGITS / root.vocab));
    options.onProgress?.(settled, forwardTotal);
    const expand = async (step: PrefixStep, nodeScores: Float64Array, nodeIndex: Float64Array, e: number): Promise<void> => {
      const opts = plan.optionIds[e];
      const n = step.state.rows;
      const last = e === E - 1;
      if (last && suffix.length === 0) {
        for (let r = 0; r < n; r++) opts.forEach((id, o) => (scores[nodeIndex[r] * opts.length + o] = nodeScores[r] + nextLogProb(step, r, o, id, opts.length)));
        return;
      }
      // The children worth feeding: those not below the floor.
      const kept: number[] = [];
      const keptScores: number[] = [];
      for (let r = 0; r < n; r++) {
        opts.forEach((id, o) => {
          const score = nodeScores[r] + nextLogProb(step, r, o, id, opts.length);
          if (score < floor) settled += under[e];
          else {
            kept.push(r * opts.length + o);
            keptScores.push(score);
          }
        });
      }
      for (let c0 = 0; c0 < kept.length; c0 += chunkRows) {
        if (options.signal?.aborted) throw cancelled();
        const count = Math.min(kept.length, c0 + chunkRows) - c0;
        const parents = new Int32Array(count);
        const childScores = new Float64Array(count);
        const childIndex = new Float64Array(count);
        const toks: number[][] = new Array(count);
        for (let i = 0; i < count; i++) {
          const r = Math.floor(kept[c0 + i] / opts.length);
          const o = kept[c0 + i] % opts.length;
          parents[i] = r;
          toks[i] = [opts[o], ...plan.after[e]];
          childScores[i] = keptScores[c0 + i];
          childIndex[i] = nodeIndex[r] * opts.length + o;
        }
        const child = await extend(step.state, parents, toks, last ? [] : plan.optionIds[e + 1]); // the suffix's rows need only their sums
        rows += count;
        settled += count;
        options.onProgress?.(settled, forwardTotal);
        for (let i = 0; i < count; i++) childScores[i] += child.sums[i];
        try {
          if (last) for (let i = 0; i < count; i++) scores[childIndex[i]] = childScores[i];
          else await expand(child, childScores, childIndex, e + 1);
        } finally {
          child.state.dispose();
        }
      }
    };
    await expand(root, new Float64Array([0]), new Float64Array([0]), 0);
  } finally {
    root.state.dispose();
  }
  options.onProgress?.(forwardTotal, forwardTotal);
  return { scores, rows, floor };
}

/** Log-likelihood of every candidate (in candidateChoices order) through the prefix tree, whole rows per node. */
async function treeScores(model: PrivacyModel, plan: TreePlan, total: number, options: ExposureOptions): Promise<{ scores: Float64Array; rows: number }> {
  let nodes: number[][] = [plan.prefix];
  let nodeScores = new Float64Array([0]);
  let pendingFrom = [plan.prefix.length]; // tokens from here on (fixed text) are not yet scored
  let rows = 0;
  let done = 0;
  const E = plan.optionIds.length;
  const suffix = plan.after[E - 1];
  const forwardTotal = plan.optionIds.reduce((acc, ids) => ({ n: acc.n * ids.length, sum: acc.sum + acc.n }), { n: 1, sum: 0 }).sum + (suffix.length ? total : 0);
  for (let e = 0; e < E; e++) {
    const opts = plan.optionIds[e];
    const childCount = nodes.length * opts.length;
    const keepSeqs = e < E - 1 || suffix.length > 0;
    const children: number[][] = keepSeqs ? new Array(childCount) : [];
    const childScores = new Float64Array(childCount);
    for (let c0 = 0; c0 < nodes.length; c0 += CHUNK_ROWS) {
      if (options.signal?.aborted) throw cancelled();
      const chunk = nodes.slice(c0, c0 + CHUNK_ROWS);
      const scored = await model.scoreRows(chunk, pendingFrom.slice(c0, c0 + CHUNK_ROWS), true, options.signal);
      rows += chunk.length;
      done += chunk.length;
      options.onProgress?.(done, forwardTotal);
      chunk.forEach((seq, r) => {
        const base = nodeScores[c0 + r] + scored.sums[r];
        opts.forEach((id, o) => {
          const c = (c0 + r) * opts.length + o;
          childScores[c] = base + scored.next[r * scored.vocab + id];
          if (keepSeqs) children[c] = [...seq, id, ...plan.after[e]];
        });
      });
    }
    pendingFrom = children.map((s) => s.length - plan.after[e].length);
    nodes = children;
    nodeScores = childScores;
  }
  if (suffix.length) {
    for (let c0 = 0; c0 < nodes.length; c0 += CHUNK_ROWS) {
      if (options.signal?.aborted) throw cancelled();
      const chunk = nodes.slice(c0, c0 + CHUNK_ROWS);
      const scored = await model.scoreRows(chunk, pendingFrom.slice(c0, c0 + CHUNK_ROWS), false, options.signal);
      rows += chunk.length;
      done += chunk.length;
      options.onProgress?.(done, forwardTotal);
      for (let r = 0; r < chunk.length; r++) nodeScores[c0 + r] += scored.sums[r];
    }
  }
  return { scores: nodeScores, rows };
}

/** Log-likelihood of the given candidates, each canary fed in full (any tokenizer, word slots). */
async function fullScores(model: PrivacyModel, template: CanaryTemplate, tokenizer: ExposureTokenizer, indices: ArrayLike<number>, options: ExposureOptions): Promise<Float64Array> {
  const from = tokenizer.encode(canaryPrefix(template)).length;
  const scores = new Float64Array(indices.length);
  for (let c0 = 0; c0 < indices.length; c0 += CHUNK_ROWS) {
    if (options.signal?.aborted) throw cancelled();
    const seqs: number[][] = [];
    for (let i = c0; i < Math.min(indices.length, c0 + CHUNK_ROWS); i++) seqs.push(tokenizer.encode(renderCanary(template, candidateChoices(template, indices[i]))));
    const scored = await model.scoreRows(seqs, seqs.map(() => from), false, options.signal);
    scores.set(scored.sums, c0);
    options.onProgress?.(c0 + seqs.length, indices.length);
  }
  return scores;
}

/** log2|R| − log2 rank. */
export function exposureOf(candidates: number, rank: number): number {
  return Math.log2(candidates) - Math.log2(rank);
}

/** Rank of the secret: 1 + the scores strictly above its own (ties count in the secret's favour). */
export function rankOf(scores: ArrayLike<number>, secret: number): number {
  let above = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] > secret) above++;
  return above + 1;
}

/**
 * Exposure of the canary `template` with secret `choices` under `model`. Exact (every candidate scored, through the
 * prefix tree when it applies) up to exactLimit candidates; beyond, the paper's estimate when allowed: score a
 * uniform sample, fit a skew-normal to the candidates' negative log-likelihoods and read the secret's tail probability.
 */
export async function measureExposure(model: PrivacyModel, tokenizer: ExposureTokenizer, templateSource: string, choices: readonly number[], options: ExposureOptions = {}): Promise<ExposureResult> {
  return (await measureExposures(model, tokenizer, templateSource, [choices], options))[0];
}

/**
 * Exposures of several secrets of one template (a canary and never-inserted controls) from one scoring of the
 * candidate space: every candidate's score is computed once, then each secret is ranked among them. `forwardRows`
 * is the whole pass's, shared by all results.
 */
export async function measureExposures(model: PrivacyModel, tokenizer: ExposureTokenizer, templateSource: string, secrets: readonly (readonly number[])[], options: ExposureOptions = {}): Promise<ExposureResult[]> {
  const template = parseCanaryTemplate(templateSource);
  const total = candidateCount(template);
  if (secrets.length === 0) return [];
  const secretIndices = secrets.map((c) => candidateIndex(template, c));
  const limit = options.exactLimit ?? EXACT_RANK_LIMIT;
  const ranked = (scores: Float64Array, path: ExposureResult['path'], forwardRows: number) =>
    secretIndices.map((i): ExposureResult => {
      const secret = scores[i];
      const rank = rankOf(scores, secret);
      return { method: 'exact', candidates: total, rank, exposure: exposureOf(total, rank), secretLogLikelihood: secret, path, forwardRows };
    });
  if (total <= limit) {
    const plan = treePlan(template, tokenizer, secrets[0]);
    if (plan && model.extendPrefix) {
      let tree = await cachedTreeScores(model, plan, total, options, secrets);
      // The floor came from each secret's path fed apart; exactness needs the tree's own secret scores above it (by
      // more than float drift). Were the two computations ever that far apart, rank again without skipping.
      if (secretIndices.some((i) => !(tree.scores[i] >= tree.floor + PRUNE_MARGIN / 2))) tree = await cachedTreeScores(model, plan, total, { ...options, prune: false }, secrets);
      return ranked(tree.scores, 'prefix-tree', tree.rows);
    }
    if (plan) {
      const { scores, rows } = await treeScores(model, plan, total, options);
      return ranked(scores, 'prefix-tree', rows);
    }
    const all = new Float64Array(total).map((_, i) => i);
    return ranked(await fullScores(model, template, tokenizer, all, options), 'full', total);
  }
  if (!options.allowEstimate) {
    throw new ExposureSpaceError(
      `The canary "${templateSource}" has ${total.toExponential(2)} possible secrets, more than the ${limit.toLocaleString('en-US')} TuneLab ranks exactly.`,
      'Allow the sampled estimate (Carlini et al. 2019: a skew-normal fitted to sampled candidates), or use a template with fewer slots.',
    );
  }
  const rng = new Rng(options.seed ?? 1);
  const n = options.samples ?? ESTIMATE_SAMPLES;
  const sample = new Float64Array(n + secrets.length);
  for (let i = 0; i < n; i++) sample[i] = Math.floor(rng.next() * total);
  sample.set(secretIndices, n);
  const scores = await fullScores(model, template, tokenizer, sample, options);
  const fit = fitSkewNormal(scores.subarray(0, n).map((s) => -s)); // fitted to log-perplexities, as in the paper
  return secretIndices.map((_, k): ExposureResult => {
    const secret = scores[n + k];
    const tail = Math.exp(skewNormalLogCdf(fit, -secret)); // P(a random candidate is at least as likely as the secret)
    const rank = Math.max(1, total * tail);
    return { method: 'estimate', candidates: total, rank, exposure: exposureOf(total, rank), secretLogLikelihood: secret, path: 'sampled', forwardRows: n + secrets.length };
  });
}

export interface ExtractionResult {
  extracted: boolean;
  /** What greedy decoding emitted after the prefix (as many tokens as the secret span has). */
  emitted: string;
  secret: string;
}

/** Extraction: does greedy decoding from the canary's prefix emit the secret span verbatim? */
export async function measureExtraction(model: PrivacyModel, tokenizer: ExposureTokenizer & { decode(ids: number[]): string }, templateSource: string, choices: readonly number[]): Promise<ExtractionResult> {
  const template = parseCanaryTemplate(templateSource);
  const secret = secretSpan(template, choices);
  const prefixIds = tokenizer.encode(canaryPrefix(template));
  const full = tokenizer.encode(canaryPrefix(template) + secret);
  const ids = await model.generateGreedy(prefixIds, Math.max(1, full.length - prefixIds.length));
  const emitted = tokenizer.decode(ids);
  return { extracted: emitted.startsWith(secret), emitted, secret };
}
