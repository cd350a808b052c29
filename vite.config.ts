// Vite build, dev server and Vitest config: Svelte SPA, module workers, relative base so any static host works, and a
// service worker (Workbox via vite-plugin-pwa) that precaches the app so it works offline after the first load.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { appOnlyManifest } from './scripts/pwa-precache.mjs';
import { SlowFirstSequencer } from './scripts/slow-first-sequencer.ts';
import { readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';

/**
 * Diagnostic pages (src/diagnostics/: bench/, selftest/, e2e-harness/) are built beside the app, unlinked from it: every
 * .html under src/diagnostics/ is an input, named by its file (names are unique across the folders).
 */
const diagnostics = resolve(import.meta.dirname, 'src/diagnostics');
const extraPages = Object.fromEntries(
  readdirSync(diagnostics, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .map((f) => [basename(f, '.html'), resolve(diagnostics, f)]),
);

const outDir = resolve(import.meta.dirname, 'dist');

/**
 * Offline: the app shell, its workers and chunks, the tfjs wasm binaries and public/ (icons, the Tiny World bases in
 * models/) are precached; Hub downloads are not (they have their own cache in IndexedDB). An update waits for the user
 * ("prompt"): reloading on its own would interrupt a training run.
 */
const pwa = VitePWA({
  strategies: 'generateSW',
  registerType: 'prompt',
  injectRegister: false,
  includeManifestIcons: false,
  manifest: {
    name: 'TuneLab — fine-tune small language models in your browser',
    short_name: 'TuneLab',
    description: 'Fine-tune and evaluate small language models in your browser, on your own GPU. Nothing leaves your machine.',
    start_url: './',
    scope: './',
    display: 'standalone',
    theme_color: '#2f5d8a',
    background_color: '#ffffff',
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
    ],
  },
  workbox: {
    globPatterns: ['**/*.{html,js,css,wasm,svg,png,json,md,safetensors}'],
    manifestTransforms: [appOnlyManifest(outDir)],
    // web-llm's worker (6 MB) is fetched the first time someone lists web-llm's models, not on every first visit; then kept
    // (its file name is content-hashed), so a model already in web-llm's own cache also loads offline.
    globIgnores: ['**/node_modules/**/*', 'assets/webllm.worker-*.js'],
    runtimeCaching: [
      {
        urlPattern: ({ url }) => /\/assets\/webllm\.worker-[\w-]+\.js$/.test(url.pathname),
        handler: 'CacheFirst',
        options: { cacheName: 'tunelab-webllm-worker', expiration: { maxEntries: 2 } },
      },
    ],
    // The 800k base's weights are 3.1 MiB; room for a larger shipped base.
    maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    // The first install takes the open page at once; later versions wait for the user's reload.
    clientsClaim: true,
    navigateFallback: 'index.html',
    // Only the app's own page (with its ?experiment query) falls back to the cached shell; bench and self-test pages do not.
    navigateFallbackAllowlist: [/\/(index\.html)?(\?.*)?$/],
  },
});

export default defineConfig({
  base: './',
  plugins: [svelte(), pwa],
  worker: { format: 'es' },
  build: {
    outDir,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'index.html'), ...extraPages } },
  },
  server: { port: 5173 },
  preview: { port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest leaves one core free by default, which is one worker on CI's two cores: the CPU-bound engine tests then ran
    // one file at a time (848 s). Both cores take a file each.
    maxWorkers: 2,
    // The minute-long files first, so none of them runs last and alone (scripts/slow-first-sequencer.ts).
    sequence: { sequencer: SlowFirstSequencer },
  },
});
