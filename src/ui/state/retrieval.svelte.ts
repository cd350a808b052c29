// The Retrieval page's state: the embedder choice, the retrieval data (generated Tiny World task or imported files), settings, the job and its result.
import * as Comlink from 'comlink';
import type { RetrievalCurvePoint, RetrievalEvalData, RetrievalHyper, RetrievalJobInput, RetrievalProgress, RetrievalResult, RetrievalRunInfo, EmbedderChoice, RunRecord } from '../../contract';
import { deleteRetrievalRun, listRetrievalRuns, saveRetrievalRun } from '../../storage/retrieval-runs';
import { checkRetrievalSet, overlapReport, qrelsFromTriples, pairCsvColumns, parseCorpusJsonl, parsePairsCsv, parsePairsJsonl, parseQrelsTsv, parseQueriesJsonl, splitValidation, type OverlapReport, type PairMapping } from '../../engine/embed/retrieval-inputs';
import { tinyWorldRetrievalTask, type RetrievalDocument, type RetrievalQuery, type TrainingPair } from '../../engine/world/retrieval-task';
import { startJob, type JobHandle } from '../job-client';
import { toShownError, type ShownError } from '../errors-ui';

export interface RetrievalData {
  /** Where it came from, in words. */
  source: string;
  corpus: RetrievalDocument[];
  pairs: TrainingPair[];
  validation: RetrievalEvalData;
  test: RetrievalEvalData;
  overlap: OverlapReport;
  /** Test and validation queries dropped for having no relevant document. */
  dropped: number;
}

export const DEFAULT_RETRIEVAL_HYPER: RetrievalHyper = { method: 'lora', rank: 8, learningRate: 2e-3, steps: 40, batchSize: 4, scale: 20, symmetric: false, pooling: 'mean', evalEvery: 10, seed: 0 };

type FileKind = 'pairs' | 'corpus' | 'queries' | 'qrels';

function evalData(queries: RetrievalQuery[], qrels: Map<string, Map<string, number>>): RetrievalEvalData {
  return { queries, qrels: queries.flatMap((q) => [...(qrels.get(q._id)?.entries() ?? [])].map(([d, g]) => [q._id, d, g] as [string, string, number])) };
}

export class RetrievalState {
  /** A shipped Tiny World base by folder, 'loaded' for the model loaded on the Models page, 'encoder' for a sentence-transformers folder. */
  model = $state<string>('tiny-world-400k');
  /** The picked sentence-transformers folder's files (model 'encoder'). */
  encoderFiles = $state.raw<File[]>([]);
  hyper = $state<RetrievalHyper>({ ...DEFAULT_RETRIEVAL_HYPER });
  /** Where the pairs and evaluation set come from. */
  source = $state<'world' | 'files'>('world');
  worldPairs = $state(128);
  worldHardNegatives = $state(false);
  data = $state.raw<RetrievalData | null>(null);
  dataError = $state.raw<ShownError | null>(null);
  /** Imported file texts by kind, and the CSV pair mapping. */
  files = $state.raw<Partial<Record<FileKind, { name: string; text: string }>>>({});
  csvColumns = $state.raw<string[]>([]);
  mapping = $state<PairMapping>({ anchor: '', positive: '', negative: null });
  running = $state<'base' | 'train' | null>(null);
  progress = $state.raw<RetrievalProgress | null>(null);
  curve = $state.raw<RetrievalCurvePoint[]>([]);
  result = $state.raw<RetrievalResult | null>(null);
  error = $state.raw<ShownError | null>(null);
  /** Stored results (IndexedDB, newest first) and the one shown, if the shown result is stored. */
  stored = $state.raw<RunRecord[]>([]);
  shownRunId = $state<string | null>(null);
  /** Documents searched for the shown result (its rank-change table's "not retrieved" bound). */
  shownCorpusSize = $state(0);
  #job: JobHandle<RetrievalResult> | null = null;

  constructor() {
    // After a reload the newest stored result is shown again, unless a run has started meanwhile.
    void this.refreshStored().then(() => {
      if (!this.result && !this.running && this.stored[0]) this.show(this.stored[0].id);
    });
  }

  /** Rereads the stored results (the list on the page). */
  async refreshStored(): Promise<void> {
    try {
      this.stored = await listRetrievalRuns();
    } catch (e) {
      this.error = toShownError(e);
    }
  }

  /** Shows a stored result as if it had just run. */
  show(id: string): void {
    const info = this.stored.find((r) => r.id === id)?.retrieval;
    if (!info || this.running) return;
    this.result = info.result;
    this.curve = info.result.curve;
    this.shownCorpusSize = info.corpusSize;
    this.shownRunId = id;
  }

  /** Deletes a stored result (the one shown is taken off the page too). */
  async remove(id: string): Promise<void> {
    try {
      await deleteRetrievalRun(id);
      if (this.shownRunId === id) {
        this.#reset();
        this.shownRunId = null;
      }
    } catch (e) {
      this.error = toShownError(e);
    }
    await this.refreshStored();
  }

  /** The embedder in words, for the stored record (`loadedName`: the name of the model loaded on the Models page). */
  modelName(loadedName?: string): string {
    const choice = this.choice;
    return choice.kind === 'shipped' ? choice.id : choice.kind === 'encoder-files' ? (choice.name ?? 'encoder') : (loadedName ?? 'the loaded model');
  }

  get choice(): EmbedderChoice {
    if (this.model === 'encoder') return { kind: 'encoder-files', files: this.encoderFiles, name: this.encoderFiles[0]?.webkitRelativePath.split('/')[0] || undefined };
    return this.model === 'loaded' ? { kind: 'loaded' } : { kind: 'shipped', id: this.model };
  }

  /** Whether the chosen model can run (an encoder needs its files). */
  get modelReady(): boolean {
    return this.model !== 'encoder' || this.encoderFiles.length > 0;
  }

  /** The Tiny World retrieval task at the chosen number of pairs (validation 64 and test 200 queries). */
  generateWorld(): void {
    this.#reset();
    try {
      const task = tinyWorldRetrievalTask({ pairs: this.worldPairs, seed: 1, hardNegatives: this.worldHardNegatives });
      const queries = [...task.validation.queries, ...task.test.queries];
      this.data = {
        source: `Tiny World tickets → teams: ${task.pairs.length} pairs, ${task.corpus.length} team pages, ${task.test.queries.length} test and ${task.validation.queries.length} validation queries`,
        corpus: task.corpus,
        pairs: task.pairs,
        validation: evalData(task.validation.queries, task.validation.qrels),
        test: evalData(task.test.queries, task.test.qrels),
        overlap: overlapReport(task.pairs, queries, task.corpus),
        dropped: 0,
      };
    } catch (e) {
      this.dataError = toShownError(e);
    }
  }

  async importFile(kind: FileKind, file: File): Promise<void> {
    this.#reset();
    const text = await file.text();
    this.files = { ...this.files, [kind]: { name: file.name, text } };
    if (kind === 'pairs' && /\.csv$/i.test(file.name)) {
      this.csvColumns = pairCsvColumns(text);
      const pick = (names: string[]) => this.csvColumns.find((c) => names.includes(c.toLowerCase())) ?? '';
      this.mapping = { anchor: pick(['anchor', 'query', 'question', 'sentence1']) || this.csvColumns[0] || '', positive: pick(['positive', 'answer', 'document', 'sentence2']) || this.csvColumns[1] || '', negative: pick(['negative']) || null };
    } else if (kind === 'pairs') this.csvColumns = [];
    this.assembleImport();
  }

  /** Parses the imported files once all four are there; a bad file is named in dataError and nothing is kept. */
  assembleImport(): void {
    const { pairs, corpus, queries, qrels } = this.files;
    this.data = null;
    this.dataError = null;
    if (!pairs || !corpus || !queries || !qrels) return;
    try {
      const parsedPairs = /\.csv$/i.test(pairs.name) ? parsePairsCsv(pairs.text, this.mapping) : parsePairsJsonl(pairs.text);
      const docs = parseCorpusJsonl(corpus.text);
      const allQueries = parseQueriesJsonl(queries.text);
      const judged = qrelsFromTriples(parseQrelsTsv(qrels.text));
      const checked = checkRetrievalSet(docs, allQueries, judged);
      const { validation, test } = splitValidation(checked.queries);
      this.data = {
        source: `${pairs.name}, ${corpus.name}, ${queries.name}, ${qrels.name}: ${parsedPairs.length} pairs, ${docs.length} documents, ${test.length} test and ${validation.length} validation queries`,
        corpus: docs,
        pairs: parsedPairs,
        validation: evalData(validation, checked.qrels),
        test: evalData(test, checked.qrels),
        overlap: overlapReport(parsedPairs, checked.queries, docs),
        dropped: checked.dropped,
      };
    } catch (e) {
      this.dataError = toShownError(e);
    }
  }

  /** Scores the base alone (0 steps), or fine-tunes and scores both; the result is stored. */
  run(kind: 'base' | 'train', loadedName?: string): void {
    const data = this.data;
    if (!data || this.running || !this.modelReady) return;
    this.error = null;
    this.result = null;
    this.curve = [];
    this.progress = null;
    this.running = kind;
    this.shownRunId = null;
    this.shownCorpusSize = data.corpus.length;
    const stored = { model: this.modelName(loadedName), modelKind: this.choice.kind, source: data.source, corpusSize: data.corpus.length, hyper: $state.snapshot(this.hyper) };
    const input: RetrievalJobInput = {
      model: this.choice,
      corpus: data.corpus,
      pairs: data.pairs,
      validation: data.validation,
      test: data.test,
      hyper: { ...$state.snapshot(this.hyper), steps: kind === 'base' ? 0 : this.hyper.steps },
    };
    const onProgress = Comlink.proxy((p: RetrievalProgress) => this.#onProgress(p));
    const job = startJob((api, id) => api.retrieval(id, input, onProgress));
    this.#job = job;
    job.result
      .then(async (r) => {
        this.result = r;
        // Kept in IndexedDB, so the scores and the rank changes are still here after a reload.
        const info: RetrievalRunInfo = { ...stored, hyper: { ...stored.hyper, steps: r.steps }, result: r };
        const record = await saveRetrievalRun(info);
        this.shownRunId = record.id;
        await this.refreshStored();
      })
      .catch((e) => (this.error = toShownError(e)))
      .finally(() => {
        this.running = null;
        this.#job = null;
      });
  }

  cancel(): void {
    void this.#job?.stop('cancel');
  }

  #onProgress(p: RetrievalProgress): void {
    this.progress = p;
    if (p.points.length) this.curve = [...this.curve, ...p.points];
  }

  #reset(): void {
    this.result = null;
    this.curve = [];
    this.error = null;
  }
}

let shared: RetrievalState | null = null;

/** The one RetrievalState of this tab: it outlives the page component, so a run's progress and result survive switching tabs. */
export function retrievalState(): RetrievalState {
  shared ??= new RetrievalState();
  return shared;
}
