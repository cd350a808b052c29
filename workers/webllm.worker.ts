// web-llm's engine in a dedicated worker of its own (never the GPU training worker): its model list, cache, load with progress, and chat completions, over comlink.
import * as Comlink from 'comlink';
import { deleteModelAllInfoInCache, hasModelInCache, MLCEngine, modelVersion, prebuiltAppConfig, type AppConfig, type ChatCompletion, type ChatCompletionRequestNonStreaming, type InitProgressReport, type ModelRecord } from '@mlc-ai/web-llm';
import { webLlmErrorOf } from '../src/engine/teacher/web-llm/map-error';
import { scoreCeiling, type CeilingResult } from '../src/engine/teacher/web-llm/ceiling';
import { WebLlmTeacher } from '../src/engine/teacher/web-llm/teacher';
import { tinyWorldSuite } from '../src/engine/eval/tiny-world-suite';
import { tinyWorldShots } from '../src/engine/eval/few-shot';
import { EVAL_SETS, type SkillName } from '../src/engine/world';
import { installErrorTransfer } from './error-transfer';

installErrorTransfer();

/** web-llm keeps downloads in the Cache API (caches "webllm/config", "webllm/wasm", "webllm/model"), apart from TuneLab's IndexedDB. */
const appConfig: AppConfig = { ...prebuiltAppConfig, cacheBackend: 'cache' };
let engine: MLCEngine | null = null;
let loadedId: string | null = null;
let ceilingRun: AbortController | null = null;

/** web-llm's failures become TuneLab's named errors here, so they cross to the page by name (error-transfer.ts). */
async function mapped<T>(modelId: string, phase: 'load' | 'generate', run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw webLlmErrorOf(e, { modelId, phase, online: navigator.onLine });
  }
}

const api = {
  /** web-llm's prebuilt models and the version of its model libraries; nothing is fetched. */
  catalog(): { records: ModelRecord[]; modelVersion: string } {
    return { records: appConfig.model_list, modelVersion };
  },
  /** Whether a model's files are all in web-llm's cache (the Cache API; no network). */
  isCached(modelId: string): Promise<boolean> {
    return hasModelInCache(modelId, appConfig);
  },
  deleteCached(modelId: string): Promise<void> {
    return deleteModelAllInfoInCache(modelId, appConfig);
  },
  /** Downloads (or reads from the cache) and compiles a model; progress as web-llm reports it. */
  async load(modelId: string, onProgress: (report: InitProgressReport) => void): Promise<void> {
    engine ??= new MLCEngine({ appConfig });
    engine.setInitProgressCallback((report) => onProgress({ progress: report.progress, timeElapsed: report.timeElapsed, text: report.text }));
    loadedId = null;
    await mapped(modelId, 'load', () => engine!.reload(modelId));
    loadedId = modelId;
  },
  async chat(request: ChatCompletionRequestNonStreaming): Promise<ChatCompletion> {
    const id = loadedId;
    if (!engine || !id) throw webLlmErrorOf('EngineNotLoadedError: no model is loaded', { modelId: 'web-llm', phase: 'generate' });
    return mapped(id, 'generate', () => engine!.chat.completions.create(request));
  },
  /**
   * The capability ceiling, here rather than on the page: the Tiny World items (the Skills table's development set,
   * same seed) and the shots are built where they are asked, which keeps that code out of the page's first chunk.
   */
  async scoreCeiling(itemsPerSkill: number, onProgress: (done: number, total: number) => void): Promise<CeilingResult> {
    const id = loadedId;
    if (!engine || !id) throw webLlmErrorOf('EngineNotLoadedError: no model is loaded', { modelId: 'web-llm', phase: 'generate' });
    ceilingRun = new AbortController();
    const teacher = new WebLlmTeacher(engine, { modelId: id, revision: modelVersion, temperature: 0, maxNewTokens: 24, seed: 0 }, 60_000);
    const suite = tinyWorldSuite({ perSkill: itemsPerSkill, seed: EVAL_SETS.development.seed, role: EVAL_SETS.development.role, extras: false });
    try {
      return await scoreCeiling(teacher, suite, (skill) => tinyWorldShots(skill as SkillName), { signal: ceilingRun.signal, onProgress });
    } finally {
      ceilingRun = null;
    }
  },
  stopCeiling(): void {
    ceilingRun?.abort();
  },
  interrupt(): void {
    engine?.interruptGenerate();
  },
  async unload(): Promise<void> {
    loadedId = null;
    await engine?.unload();
  },
};

export type WebLlmWorkerApi = typeof api;

Comlink.expose(api);
