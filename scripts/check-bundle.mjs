// Proves from dist/ that the app page never loads tfjs and stays within its size budget (run by `npm test` after the build).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Most bytes of JavaScript the page may load before it shows anything (index.html's scripts and their static imports,
 * minified, not gzipped). Measured 2026-12-07: 529 kB (main 468 kB: Svelte, Observable Plot, idb, the tokenizers'
 * parsers, the app); with tfjs-core in it, as before, 801 kB. The budget leaves room to grow and still catches tfjs.
 */
export const INITIAL_JS_BUDGET = 640_000;

/** Where a chunk names another chunk it needs: `import … from "./x.js"`, `export … from "./x.js"`, `import "./x.js"`. */
const STATIC_IMPORT = /(?:\bfrom\s*|\bimport\s*)["'`](\.{1,2}\/[^"'`\s]+\.js)["'`]/g;
/** A lazily loaded chunk: `import("./x.js")`. Worker chunks are named by `new URL(…)` instead and are not followed. */
const DYNAMIC_IMPORT = /\bimport\(\s*["'`](\.{1,2}\/[^"'`\s]+\.js)["'`]\s*\)/g;
/** Text only tfjs-core carries, a second witness beside the source map. */
const TFJS_MARKERS = ['tfjs-node for more details', 'tfjsflags', 'all backend initializations failed'];
/** Largest chunk accepted without a source map (bytes). */
const UNMAPPED_MAX = 4_000;

/** @param {string} html @param {string} htmlDir */
function htmlScripts(html, htmlDir) {
  const refs = [...html.matchAll(/<script[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g), ...html.matchAll(/<link[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)];
  return refs.map((m) => resolve(htmlDir, m[1]));
}

/** @param {string} file @param {RegExp} re */
function chunkRefs(file, re) {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(re)].map((m) => resolve(dirname(file), m[1]));
}

/**
 * The chunks the page at `htmlFile` loads without a worker: `initial` (its scripts and all they import statically) and
 * `lazy` (what those import with `import()`, and their imports in turn).
 * @param {string} htmlFile
 */
export function pageChunks(htmlFile) {
  const initial = new Set();
  const lazy = new Set();
  const visit = (/** @type {string} */ file, /** @type {Set<string>} */ into) => {
    if (initial.has(file) || lazy.has(file)) return;
    if (!existsSync(file)) throw new Error(`${relative(process.cwd(), file)} is named by the build but missing: run \`npm run build\` again.`);
    into.add(file);
    for (const dep of chunkRefs(file, STATIC_IMPORT)) visit(dep, into);
  };
  for (const file of htmlScripts(readFileSync(htmlFile, 'utf8'), dirname(htmlFile))) visit(file, initial);
  const pending = [...initial];
  while (pending.length > 0) {
    const file = /** @type {string} */ (pending.pop());
    for (const dep of chunkRefs(file, DYNAMIC_IMPORT)) {
      if (initial.has(dep) || lazy.has(dep)) continue;
      const before = new Set(lazy);
      visit(dep, lazy);
      for (const added of lazy) if (!before.has(added)) pending.push(added);
    }
  }
  return { initial: [...initial], lazy: [...lazy] };
}

/**
 * The tfjs sources bundled into `chunk`, read from its source map, plus any tfjs marker text found in the code.
 * @param {string} chunk
 */
export function tfjsIn(chunk) {
  const mapFile = `${chunk}.map`;
  const code = readFileSync(chunk, 'utf8');
  const marked = TFJS_MARKERS.filter((m) => code.includes(m)).map((m) => `text "${m}"`);
  if (!existsSync(mapFile)) {
    // Vite's own helpers (the modulepreload polyfill) come without a map; anything big enough to hold tfjs must have one.
    if (code.length <= UNMAPPED_MAX) return marked;
    throw new Error(`${chunk} has no source map: keep build.sourcemap on in vite.config.ts, this check reads the maps.`);
  }
  /** @type {{ sources: string[] }} */
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  return [...map.sources.filter((s) => s.includes('@tensorflow/')), ...marked];
}

/**
 * Every problem with the page at `htmlFile`: a chunk it loads that holds tfjs, or initial JavaScript over `budget` bytes.
 * @param {string} htmlFile
 * @param {number} budget
 */
export function checkBundle(htmlFile, budget = INITIAL_JS_BUDGET) {
  const { initial, lazy } = pageChunks(htmlFile);
  const root = dirname(htmlFile);
  /** @type {string[]} */
  const problems = [];
  for (const chunk of [...initial, ...lazy]) {
    const found = tfjsIn(chunk);
    if (found.length > 0) {
      problems.push(`${relative(root, chunk)} (loaded by the page, not a worker) contains tfjs: ${found.slice(0, 3).join(', ')}${found.length > 3 ? ` and ${found.length - 3} more` : ''}. Import only pure modules from the UI (see eslint.config.js).`);
    }
  }
  const size = (/** @type {string[]} */ files) => files.reduce((s, f) => s + statSync(f).size, 0);
  const gzip = (/** @type {string[]} */ files) => files.reduce((s, f) => s + gzipSync(readFileSync(f)).length, 0);
  const initialBytes = size(initial);
  if (initialBytes > budget) {
    problems.push(`The page's initial JavaScript is ${initialBytes} bytes, over the budget of ${budget} (scripts/check-bundle.mjs): lazy-load what the first view does not need, or raise the budget on purpose.`);
  }
  return { problems, initial: initial.map((f) => relative(root, f)), lazy: lazy.map((f) => relative(root, f)), initialBytes, initialGzip: gzip(initial), lazyBytes: size(lazy) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const html = resolve(process.argv[2] ?? 'dist/index.html');
  if (!existsSync(html)) {
    console.error(`${html} not found: run \`npm run build\` first.`);
    process.exit(1);
  }
  const report = checkBundle(html);
  const kB = (/** @type {number} */ n) => `${(n / 1000).toFixed(1)} kB`;
  console.log(`page ${relative(process.cwd(), html)}: initial JS ${kB(report.initialBytes)} (gzip ${kB(report.initialGzip)}, budget ${kB(INITIAL_JS_BUDGET)}) in ${report.initial.length} chunks; lazy ${kB(report.lazyBytes)} in ${report.lazy.length}`);
  for (const p of report.problems) console.error(`FAIL ${p}`);
  process.exit(report.problems.length > 0 ? 1 : 0);
}
