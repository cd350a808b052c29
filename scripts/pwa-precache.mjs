// Which built files the service worker precaches: the app's own graph from index.html, not the bench and self-test pages.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Files whose text can name other assets (the walk follows these). */
const TEXT = /\.(html|js|css)$/;
const ASSETS = 'assets/';

/**
 * Keeps index.html, every file outside assets/ that is not a page or a script (icons, public/models), and the assets
 * reachable from index.html: a file reaches an asset when its text contains the asset's content-hashed name.
 * Drops the other pages (bench, self-tests) with the chunks only they load, and the service worker's own scripts.
 * @param {readonly string[]} urls @param {(url: string) => string} read @param {string} [entry] @returns {Set<string>}
 */
export function precachedUrls(urls, read, entry = 'index.html') {
  const assets = urls.filter((u) => u.startsWith(ASSETS));
  const kept = new Set(urls.filter((u) => u === entry || (!u.startsWith(ASSETS) && !/\.(html|js|mjs)$/.test(u))));
  const todo = [entry];
  for (let url = todo.pop(); url !== undefined; url = todo.pop()) {
    if (!TEXT.test(url)) continue;
    const text = read(url);
    for (const asset of assets) {
      if (kept.has(asset) || !text.includes(asset.slice(ASSETS.length))) continue;
      kept.add(asset);
      todo.push(asset);
    }
  }
  return kept;
}

/** Workbox manifestTransform: filters the glob's entries with precachedUrls, reading the files from the build folder. */
export function appOnlyManifest(outDir) {
  return async (entries) => {
    const keep = precachedUrls(
      entries.map((e) => e.url),
      (url) => readFileSync(resolve(outDir, url), 'utf8'),
    );
    if (!keep.has('index.html')) return { manifest: entries, warnings: ['index.html is not in the precache: the app cannot start offline'] };
    return { manifest: entries.filter((e) => keep.has(e.url)), warnings: [] };
  };
}
