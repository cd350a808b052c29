// ESLint flat config: TypeScript and Svelte 5, run in `npm test`.
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

/**
 * The layers as a rule (docs/architecture.md): engine at the bottom (backend the lowest room of it), storage beside it,
 * workers above both, the UI on top. Each entry is an arrow that must never be; tests may cross layers to build fixtures.
 * Patterns are regexes on the import path as written (relative paths name the rooms they reach).
 */
const NOT_UP_FROM_ENGINE = { regex: '(^|/)(ui|workers|storage|contract|diagnostics)(/|$)', message: 'The engine knows no UI, worker, storage or contract: pass what it needs in as plain data.' };
const NOT_UP_FROM_STORAGE = { regex: '(^|/)(ui|workers)(/|$)', message: 'Storage knows no UI and no worker: move the shared piece down (engine or contract).' };
const NOT_UP_FROM_WORKERS = { regex: '(^|/)ui(/|$)', message: 'Workers know no UI: put shared types in src/contract/.' };
/** Jobs use helpers, never the other way: state several jobs share (the loaded model) lives in workers/helpers/. */
const HELPERS_NOT_JOBS = { regex: '^\\.\\./jobs(/|$)', message: 'A worker helper depends on no job: move what both need into workers/helpers/.' };
/** Everything that loads tfjs when imported as a value; the page may only import its types (scripts/check-bundle.mjs proves the build). */
const TFJS_LOADERS = [
  { regex: '^@tensorflow/', message: 'tfjs runs in the worker only.' },
  { regex: '(^|/)engine/(models|train|lora|generate|peft)(/|$)', message: 'This engine room loads tfjs: the page may import its types only; ask the worker for the rest.' },
  { regex: '(^|/)engine(/index)?$', message: 'The engine barrel loads tfjs: import the pure module itself.' },
  { regex: '(^|/)engine/eval(/index|/eval-model)?$', message: 'eval/index and eval/eval-model load tfjs: import the pure eval module itself.' },
  { regex: '(^|/)engine/hub(/index|/memory-fit)?$', message: 'hub/index and hub/memory-fit load tfjs: import the pure hub module itself.' },
  { regex: '(^|/)engine/experiments/(runner|cell-runner|base)$', message: 'The cell runner loads tfjs: the page imports engine/experiments (index.ts), the pure API.' },
].map((p) => ({ ...p, allowTypeImports: true }));
/** The backend is tfjs itself: above the engine, only the contract re-exports what the page may know of it. */
const NOT_THE_BACKEND = { regex: '(^|/)engine/backend(/|$)', message: 'The page and storage know no backend: its status types come from src/contract/backend.ts.' };
/** The backend is the lowest room: it may leave its folder only for tfjs. `up` is how many `../` lead out of backend/. */
const notOutOfBackend = (up) => ({ regex: `^(\\.\\./){${up}}`, message: 'The backend knows no other engine room: move what it needs into src/engine/backend/.' });
const NOT_UP_FROM_MODELS = { regex: '^\\.\\./(lora|train|generate|eval|experiments|peft)(/|$)', message: 'Models know no adapter, trainer or evaluation: declare the shape they need in models/ (see LoraBranches).' };
const NOT_UP_FROM_LORA = { regex: '^\\.\\./(train|generate|eval|experiments|peft)(/|$)', message: 'LoRA knows no trainer or evaluation.' };
/** Job inputs, progress and results cross the page/worker boundary through the contract, never straight from a job file. */
const JOBS_THROUGH_CONTRACT = { regex: '(^|/)workers/(jobs/|job-queue)', message: "Import job and queue types from src/contract (the page's one door to the worker)." };
/** The worker client types its comlink proxy with the worker's API; the worker's code stays in the worker. */
/** The diagnostic pages (bench, self-tests, e2e harnesses) sit beside the app: the app never imports them. */
const NOT_DIAGNOSTICS = { regex: '(^|/)diagnostics(/|$)', message: 'The app links no bench or self-test page: move the shared piece into the app (or the engine).' };
const WORKER_API_TYPE_ONLY = { regex: '(^|/)workers/gpu\\.worker(\\.ts)?$', allowTypeImports: true, message: 'The GPU worker loads tfjs: the page imports its API type, or its built URL (`?worker&url`, as ui/worker-client.ts does to start it).' };
/** web-llm (6 MB) lives in its own worker's chunk only: the page and the engine may name its types, never load it. */
const WEBLLM_TYPES_ONLY = [
  { regex: '^@mlc-ai/web-llm', allowTypeImports: true, message: 'web-llm runs in workers/webllm.worker.ts only: import its types, and reach it through ui/webllm-client.ts.' },
  { regex: '(^|/)workers/webllm\\.worker(\\.ts)?$', allowTypeImports: true, message: 'The web-llm worker loads web-llm: the page imports its API type, or its built URL (`?worker&url`, as ui/webllm-client.ts does to start it).' },
];
/** The contract is types only: anything may import it without loading code. */
const CONTRACT_TYPES_ONLY = [
  { regex: '(^|/)(ui|workers|storage|diagnostics)(/|$)', message: 'The contract sits below the page, the worker and storage: it may name engine types only.' },
  { regex: '^(?!.*(^|/)(ui|workers|storage|diagnostics)(/|$))', allowTypeImports: true, message: 'The contract has no run-time code: import types only (`import type`).' },
];

const restrict = (files, patterns) => ({
  files,
  ignores: ['**/*.test.ts'],
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
});

const layers = [
  restrict(['src/engine/**/*.ts'], [NOT_UP_FROM_ENGINE, ...WEBLLM_TYPES_ONLY]),
  restrict(['src/engine/models/**/*.ts'], [NOT_UP_FROM_ENGINE, NOT_UP_FROM_MODELS]),
  restrict(['src/engine/lora/**/*.ts'], [NOT_UP_FROM_ENGINE, NOT_UP_FROM_LORA]),
  restrict(['src/engine/backend/*.ts'], [NOT_UP_FROM_ENGINE, notOutOfBackend(1)]),
  restrict(['src/engine/backend/*/*.ts'], [NOT_UP_FROM_ENGINE, notOutOfBackend(2)]),
  restrict(['src/engine/backend/*/*/*.ts'], [NOT_UP_FROM_ENGINE, notOutOfBackend(3)]),
  restrict(['src/storage/**/*.ts'], [NOT_UP_FROM_STORAGE, NOT_THE_BACKEND, NOT_DIAGNOSTICS, ...TFJS_LOADERS]),
  restrict(['workers/**/*.ts'], [NOT_UP_FROM_WORKERS, NOT_DIAGNOSTICS]),
  restrict(['workers/helpers/**/*.ts'], [NOT_UP_FROM_WORKERS, NOT_DIAGNOSTICS, HELPERS_NOT_JOBS]),
  restrict(['src/ui/**/*.ts', 'src/ui/**/*.svelte', 'src/main.ts'], [JOBS_THROUGH_CONTRACT, WORKER_API_TYPE_ONLY, ...WEBLLM_TYPES_ONLY, NOT_THE_BACKEND, NOT_DIAGNOSTICS, ...TFJS_LOADERS]),
  restrict(['src/contract/**/*.ts'], CONTRACT_TYPES_ONLY),
];

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'e2e-output/', 'bench-output/', 'public/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  ...layers,
);
