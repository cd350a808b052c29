// Retrieval inputs in BEIR's and sentence-transformers' shapes (corpus/queries JSONL, qrels TSV, pairs JSONL or CSV), their checks, and the overlap report.
import Papa from 'papaparse';
import { DatasetParseError } from '../errors';
import type { RetrievalDocument, RetrievalQuery, TrainingPair } from '../world/retrieval-task';

/** At most this many examples are named in a message or report. */
const EXAMPLES = 3;

function jsonLines(text: string, what: string): { line: number; value: Record<string, unknown> }[] {
  const out: { line: number; value: Record<string, unknown> }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.trim();
    if (!t) return;
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch {
      throw new DatasetParseError(`${what}: line ${i + 1} is not valid JSON.`, 'Each line must be one JSON object.');
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new DatasetParseError(`${what}: line ${i + 1} is not a JSON object.`, 'Each line must be one JSON object.');
    out.push({ line: i + 1, value: value as Record<string, unknown> });
  });
  if (out.length === 0) throw new DatasetParseError(`${what} is empty.`, 'Choose a file with one JSON object per line.');
  return out;
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return null;
}

function uniqueIds<T extends { _id: string }>(items: T[], what: string): T[] {
  const seen = new Set<string>();
  const repeated = items.filter((d) => (seen.has(d._id) ? true : (seen.add(d._id), false)));
  if (repeated.length) throw new DatasetParseError(`${what}: ${repeated.length} repeated _id (e.g. ${repeated.slice(0, EXAMPLES).map((d) => JSON.stringify(d._id)).join(', ')}).`, 'Give every line its own _id.');
  return items;
}

/** BEIR corpus.jsonl: {"_id", "title"?, "text"} per line. */
export function parseCorpusJsonl(source: string): RetrievalDocument[] {
  return uniqueIds(
    jsonLines(source, 'The corpus').map(({ line, value }) => {
      const id = text(value._id);
      const body = text(value.text);
      if (!id || body === null || !body.trim()) throw new DatasetParseError(`The corpus: line ${line} needs a non-empty "_id" and "text".`, 'BEIR corpus lines look like {"_id": "d1", "title": "…", "text": "…"}.');
      const title = text(value.title);
      return title ? { _id: id, title, text: body } : { _id: id, text: body };
    }),
    'The corpus',
  );
}

/** BEIR queries.jsonl: {"_id", "text"} per line. */
export function parseQueriesJsonl(source: string): RetrievalQuery[] {
  return uniqueIds(
    jsonLines(source, 'The queries').map(({ line, value }) => {
      const id = text(value._id);
      const body = text(value.text);
      if (!id || body === null || !body.trim()) throw new DatasetParseError(`The queries: line ${line} needs a non-empty "_id" and "text".`, 'BEIR query lines look like {"_id": "q1", "text": "…"}.');
      return { _id: id, text: body };
    }),
    'The queries',
  );
}

/** BEIR qrels TSV: `query-id	corpus-id	score`, a header line first (a first line whose score is not a number is taken as the header). */
export function parseQrelsTsv(source: string): [string, string, number][] {
  const out: [string, string, number][] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    const cells = raw.split('\t').map((c) => c.trim());
    const score = Number(cells[2]);
    if (i === 0 && (cells.length < 3 || !Number.isFinite(score))) return; // the header
    if (cells.length < 3 || !cells[0] || !cells[1] || !Number.isFinite(score)) {
      throw new DatasetParseError(`The qrels: line ${i + 1} is not "query-id<TAB>corpus-id<TAB>score".`, 'Use BEIR\'s qrels TSV with a header line "query-id\tcorpus-id\tscore".');
    }
    out.push([cells[0], cells[1], score]);
  });
  if (out.length === 0) throw new DatasetParseError('The qrels hold no judgement.', 'Add lines "query-id<TAB>corpus-id<TAB>score" after the header.');
  return out;
}

/** The columns (or JSON keys) that hold each side of a pair. */
export interface PairMapping {
  anchor: string;
  positive: string;
  negative?: string | null;
}

function pairOf(row: (key: string) => unknown, mapping: PairMapping, where: string): TrainingPair {
  const anchor = text(row(mapping.anchor));
  const positive = text(row(mapping.positive));
  const negative = mapping.negative ? text(row(mapping.negative)) : undefined;
  const empty = [!anchor?.trim() && mapping.anchor, !positive?.trim() && mapping.positive, mapping.negative && !negative?.trim() && mapping.negative].filter(Boolean);
  if (empty.length) throw new DatasetParseError(`Pair ${where} has an empty "${empty[0]}".`, 'Fill in both sides of every pair (and the negative, when there is one), or remove the row.');
  return negative !== undefined && negative !== null ? { anchor: anchor!, positive: positive!, negative } : { anchor: anchor!, positive: positive! };
}

/** sentence-transformers' pair JSONL: {"anchor","positive"} or {"query","positive","negative"} (keys detected from the first line). */
export function parsePairsJsonl(source: string): TrainingPair[] {
  const lines = jsonLines(source, 'The pairs');
  const first = lines[0].value;
  const anchor = 'anchor' in first ? 'anchor' : 'query' in first ? 'query' : null;
  if (!anchor || !('positive' in first)) {
    throw new DatasetParseError(`The pairs: line ${lines[0].line} has keys ${JSON.stringify(Object.keys(first))}, not "anchor"/"query" and "positive".`, 'Use {"anchor": …, "positive": …} or {"query": …, "positive": …, "negative": …} per line, or a CSV with a column mapping.');
  }
  const mapping: PairMapping = { anchor, positive: 'positive', negative: 'negative' in first ? 'negative' : null };
  return lines.map(({ line, value }) => pairOf((k) => value[k], mapping, `on line ${line}`));
}

/** A CSV's header columns (for the mapping picker). */
export function pairCsvColumns(source: string): string[] {
  return (Papa.parse<string[]>(source.replace(/^\ufeff/, ''), { header: false, preview: 1 }).data[0] ?? []).map((c) => c.trim());
}

/** Pairs from a CSV with a header, through a column mapping. */
export function parsePairsCsv(source: string, mapping: PairMapping): TrainingPair[] {
  const parsed = Papa.parse<Record<string, string>>(source.replace(/^\ufeff/, ''), { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  const columns = parsed.meta.fields ?? [];
  for (const c of [mapping.anchor, mapping.positive, ...(mapping.negative ? [mapping.negative] : [])]) {
    if (!columns.includes(c)) throw new DatasetParseError(`The CSV has no column "${c}" (it has ${columns.map((x) => `"${x}"`).join(', ')}).`, 'Map anchor and positive to columns of the file.');
  }
  if (parsed.data.length === 0) throw new DatasetParseError('The CSV has no rows after its header.', 'Add pairs, one per row.');
  return parsed.data.map((row, i) => pairOf((k) => row[k], mapping, `on row ${i + 2}`));
}

/** Queries kept for scoring (those with at least one relevant document), their qrels, and how many were dropped. */
export interface CheckedRetrievalSet {
  queries: RetrievalQuery[];
  qrels: Map<string, Map<string, number>>;
  dropped: number;
  droppedExamples: string[];
}

/**
 * Qrels whose ids resolve nowhere are refused (count and examples); queries with no relevant document are dropped
 * and counted (pytrec_eval skips them too), and a set left with no query is refused.
 */
export function checkRetrievalSet(corpus: readonly RetrievalDocument[], queries: readonly RetrievalQuery[], qrels: ReadonlyMap<string, ReadonlyMap<string, number>>): CheckedRetrievalSet {
  const docs = new Set(corpus.map((d) => d._id));
  const queryIds = new Set(queries.map((q) => q._id));
  const badDocs: string[] = [];
  const badQueries: string[] = [];
  for (const [q, judged] of qrels) {
    if (!queryIds.has(q)) badQueries.push(q);
    for (const d of judged.keys()) if (!docs.has(d)) badDocs.push(`${q} → ${d}`);
  }
  if (badDocs.length || badQueries.length) {
    const parts = [
      badDocs.length ? `${badDocs.length} judgement(s) name a document not in the corpus (e.g. ${badDocs.slice(0, EXAMPLES).join(', ')})` : '',
      badQueries.length ? `${badQueries.length} query id(s) are not in the queries (e.g. ${badQueries.slice(0, EXAMPLES).join(', ')})` : '',
    ].filter(Boolean);
    throw new DatasetParseError(`The qrels do not match the corpus and queries: ${parts.join('; ')}.`, 'Use the qrels file that belongs to this corpus and these queries.');
  }
  const kept: RetrievalQuery[] = [];
  const dropped: string[] = [];
  for (const q of queries) {
    const judged = qrels.get(q._id);
    if (judged && [...judged.values()].some((g) => g > 0)) kept.push(q);
    else dropped.push(q._id);
  }
  if (kept.length === 0) throw new DatasetParseError(`None of the ${queries.length} queries has a relevant document in the qrels.`, 'Check that the qrels give a score above 0 to at least one document per query.');
  const out = new Map<string, Map<string, number>>();
  for (const q of kept) out.set(q._id, new Map(qrels.get(q._id)!));
  return { queries: kept, qrels: out, dropped: dropped.length, droppedExamples: dropped.slice(0, EXAMPLES) };
}

/** Text compared for overlaps: lower case, runs of white space as one space, trimmed. */
export function normalizedText(t: string): string {
  return t.toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface OverlapCount {
  count: number;
  examples: string[];
}

export interface OverlapReport {
  /** Pairs repeating an earlier pair (same anchor and positive). */
  duplicatePairs: OverlapCount;
  /** Training anchors that are also evaluation queries: those queries' scores measure memory, not retrieval. */
  anchorsInQueries: OverlapCount;
  /** Training anchors that are corpus documents. */
  anchorsInCorpus: OverlapCount;
}

/** Duplicates among the training pairs and leaks between them and the evaluation queries / corpus (normalized text). */
export function overlapReport(pairs: readonly TrainingPair[], queries: readonly RetrievalQuery[], corpus: readonly RetrievalDocument[]): OverlapReport {
  const count = (items: string[]): OverlapCount => ({ count: items.length, examples: items.slice(0, EXAMPLES) });
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const p of pairs) {
    const key = `${normalizedText(p.anchor)}\u0000${normalizedText(p.positive)}`;
    if (seen.has(key)) duplicates.push(p.anchor);
    else seen.add(key);
  }
  const queryTexts = new Set(queries.map((q) => normalizedText(q.text)));
  const docTexts = new Set(corpus.map((d) => normalizedText(d.text)));
  return {
    duplicatePairs: count(duplicates),
    anchorsInQueries: count(pairs.filter((p) => queryTexts.has(normalizedText(p.anchor))).map((p) => p.anchor)),
    anchorsInCorpus: count(pairs.filter((p) => docTexts.has(normalizedText(p.anchor))).map((p) => p.anchor)),
  };
}

/**
 * Imported queries split for the live validation curve: every `every`-th query (by position) validates, the rest are
 * the test set the numbers are reported on, so the curve never watches the reported queries.
 */
export function splitValidation<T>(queries: readonly T[], every = 5): { validation: T[]; test: T[] } {
  const validation = queries.filter((_, i) => i % every === every - 1);
  const test = queries.filter((_, i) => i % every !== every - 1);
  return validation.length > 0 ? { validation, test } : { validation: [...queries], test: [...queries] };
}

/** Judgement triples [query id, doc id, grade] → query id → doc id → grade (a later triple for the same pair wins). */
export function qrelsFromTriples(triples: readonly (readonly [string, string, number])[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [q, d, g] of triples) {
    const judged = out.get(q) ?? new Map<string, number>();
    judged.set(d, g);
    out.set(q, judged);
  }
  return out;
}
