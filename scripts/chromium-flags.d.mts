// Types of chromium-flags.mjs, so the TypeScript e2e config can share the plain-Node bench's flag list.
export type AdapterRecipe = 'lavapipe' | 'swiftshader' | 'gpu';
export function chromiumArgs(adapter: AdapterRecipe | string): string[];
