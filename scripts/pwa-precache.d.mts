// Types of pwa-precache.mjs, which the Vite config (loaded by Node) and the unit test share.
export function precachedUrls(urls: readonly string[], read: (url: string) => string, entry?: string): Set<string>;
export function appOnlyManifest(outDir: string): <E extends { url: string }>(entries: E[]) => Promise<{ manifest: E[]; warnings: string[] }>;
