// Svelte compiler options: runes everywhere (Svelte 5), TypeScript through vitePreprocess.
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
};
