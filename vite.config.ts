// Vite build, dev server and Vitest config: Svelte SPA, module workers, relative base so any static host works.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** Extra pages (engine self-test, bench) are dropped into src/pages/ and built beside the app, unlinked from it. */
const extraPages = Object.fromEntries(
  readdirSync(resolve(import.meta.dirname, 'src/pages'))
    .filter((f) => f.endsWith('.html'))
    .map((f) => [f.replace(/\.html$/, ''), resolve(import.meta.dirname, 'src/pages', f)]),
);

export default defineConfig({
  base: './',
  plugins: [svelte()],
  worker: { format: 'es' },
  build: {
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
  },
});
