// `npm run bench`: builds the app if needed, serves dist, runs src/diagnostics/bench/bench.html in headless Chromium on WebGPU,
// prints progress and, as its last line, the bench JSON (also written to bench-output/bench.json).
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { chromiumArgs } from './chromium-flags.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
/** Vite keeps an extra page's path relative to the project root. */
const benchPage = 'src/diagnostics/bench/bench.html';

const usage = `usage: npm run bench -- [--adapter lavapipe|swiftshader|gpu] [--gpt2-small] [--steps N] [--warmup N]
       [--sizes 256,512] [--skip-baseline] [--timeout SECONDS] [--no-build] [--profile] [--sweep]
       [--real-shapes all|smollm2-135m-shaped,qwen3-0.6b-shaped]  (only those entries: random weights at real sizes, minutes per step)
       [--search-only]  (only the exact search of 10^5 documents, key search1e5Ms)
       [--rank-only]  (only the exposure ranking's paired rounds against train steps, key exposureRankOverStep)
       [--embedding-only]  (only the embedding-throughput entries, key "embedding")
TUNELAB_ADAPTER picks the adapter when --adapter is absent (default lavapipe).
--profile: instead of the bench, the matmul peak, the tiny-GPT engine step A/B over STEP_VARIANTS (--steps rounds), and one step with every dispatch replayed alone (time per kernel).
           With --real-shapes: those entries, each followed by one more step with every dispatch replayed alone (time per kernel).
--sweep: instead of the bench, the fused matmul's tilings timed against each other at the tiny GPT step's shapes.`;

function parseArgs(argv) {
  const opts = {
    adapter: process.env.TUNELAB_ADAPTER ?? 'lavapipe',
    gpt2Small: false,
    steps: 5,
    warmup: 1,
    sizes: null,
    skipBaseline: false,
    timeoutS: 1200,
    build: true,
    profile: false,
    sweep: false,
    realShapes: null,
    searchOnly: false,
    rankOnly: false,
    embeddingOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${usage}`);
      return v;
    };
    if (a === '--adapter') opts.adapter = value();
    else if (a === '--gpt2-small') opts.gpt2Small = true;
    else if (a === '--steps') opts.steps = Number(value());
    else if (a === '--warmup') opts.warmup = Number(value());
    else if (a === '--sizes') opts.sizes = value();
    else if (a === '--skip-baseline') opts.skipBaseline = true;
    else if (a === '--timeout') opts.timeoutS = Number(value());
    else if (a === '--no-build') opts.build = false;
    else if (a === '--profile') opts.profile = true;
    else if (a === '--sweep') opts.sweep = true;
    else if (a === '--real-shapes') opts.realShapes = value();
    else if (a === '--search-only') opts.searchOnly = true;
    else if (a === '--rank-only') opts.rankOnly = true;
    else if (a === '--embedding-only') opts.embeddingOnly = true;
    else if (a === '--help' || a === '-h') {
      console.log(usage);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${usage}`);
  }
  if (!['lavapipe', 'swiftshader', 'gpu'].includes(opts.adapter)) throw new Error(`unknown adapter ${opts.adapter}\n${usage}`);
  if (!(opts.timeoutS > 0)) throw new Error('--timeout must be a positive number of seconds');
  if (!(Number.isInteger(opts.steps) && opts.steps >= 1)) throw new Error('--steps must be a whole number ≥ 1');
  if (!(Number.isInteger(opts.warmup) && opts.warmup >= 0)) throw new Error('--warmup must be a whole number ≥ 0');
  return opts;
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds with Vite when dist has no bench page or any source is newer than it. */
function buildIfStale() {
  const page = join(dist, benchPage);
  const built = existsSync(page) ? statSync(page).mtimeMs : 0;
  const sources = ['src', 'workers', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) => newestMtime(join(root, p)));
  if (built && Math.max(...sources) <= built) return;
  console.log('[bench] building the app (dist missing or stale): npx vite build');
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status ?? r.signal})`);
}

const contentTypes = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.png': 'image/png',
  '.txt': 'text/plain',
};

/** A static server for dist on 127.0.0.1 and a free port (localhost is a secure context, so WebGPU is on). */
function serveDist() {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dist, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dist + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/**
 * CPU ms (user + system) used so far by every process below this script: the browser, its GPU process (where a
 * software adapter's shader threads run) and renderers. Unlike wall time it does not grow when other jobs take the
 * cores, so `--profile` reports it per step beside the wall time. Linux /proc; null elsewhere.
 */
function descendantsCpuMs() {
  try {
    const ticks = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;
    const parent = new Map();
    const cpu = new Map();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    }
    let total = 0;
    for (const [pid, t] of cpu) {
      for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
        if (p === process.pid) {
          total += t;
          break;
        }
      }
    }
    return (total * 1000) / ticks;
  } catch {
    return null;
  }
}

function pageQuery(opts) {
  const q = new URLSearchParams({ recipe: opts.adapter, steps: String(opts.steps), warmup: String(opts.warmup) });
  if (opts.gpt2Small) q.set('gpt2small', '1');
  if (opts.skipBaseline) q.set('skipBaseline', '1');
  if (opts.sizes) q.set('sizes', opts.sizes);
  if (opts.profile) q.set('profile', '1');
  if (opts.sweep) q.set('sweep', '1');
  if (opts.realShapes) q.set('realShapes', opts.realShapes);
  if (opts.searchOnly) q.set('searchOnly', '1');
  if (opts.rankOnly) q.set('rankOnly', '1');
  if (opts.embeddingOnly) q.set('embeddingOnly', '1');
  return q.toString();
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  if (opts.build) buildIfStale();
  if (!existsSync(join(dist, benchPage))) throw new Error(`dist/${benchPage} is missing: run without --no-build`);
  const server = await serveDist();
  const url = `http://127.0.0.1:${server.address().port}/${benchPage}?${pageQuery(opts)}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs(opts.adapter),
  });
  let lastPartial = null;
  let finish;
  const outcome = new Promise((ok) => (finish = ok));
  const timer = setTimeout(() => finish({ error: `timed out after ${opts.timeoutS} s (raise it with --timeout)` }), opts.timeoutS * 1000);
  try {
    const page = await browser.newPage();
    await page.exposeFunction('benchCpuMs', descendantsCpuMs);
    page.on('console', (msg) => {
      const text = msg.text();
      const after = (tag) => (text.startsWith(tag) ? text.slice(tag.length) : null);
      let rest;
      if ((rest = after('BENCH_PROGRESS ')) !== null) console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${rest}`);
      else if ((rest = after('BENCH_PARTIAL ')) !== null) lastPartial = JSON.parse(rest);
      else if ((rest = after('BENCH_DONE ')) !== null) finish({ report: JSON.parse(rest) });
      else if ((rest = after('BENCH_ERROR ')) !== null) finish({ error: rest });
      else if (msg.type() === 'error' || msg.type() === 'warning') console.log(`[browser ${msg.type()}] ${text}`);
    });
    page.on('pageerror', (err) => finish({ error: `page error: ${err.message}` }));
    page.on('crash', () => finish({ error: 'the page crashed (GPU process or renderer died)' }));
    console.log(`[bench] adapter recipe ${opts.adapter}; opening ${url}`);
    await page.goto(url);
    const { report, error } = await outcome;
    const final = report ?? { ...(lastPartial ?? { adapter: null, results: [] }), recipe: opts.adapter, error };
    final.wallSeconds = Math.round((Date.now() - started) / 1000);
    mkdirSync(join(root, 'bench-output'), { recursive: true });
    writeFileSync(join(root, 'bench-output', 'bench.json'), `${JSON.stringify(final, null, 2)}\n`);
    return { final, error };
  } finally {
    clearTimeout(timer);
    server.close();
    // A runaway shader never returns; do not let closing the browser hang the script.
    await Promise.race([browser.close(), new Promise((ok) => setTimeout(ok, 10_000))]);
  }
}

main().then(
  ({ final, error }) => {
    // Printed after the browser has closed, so nothing can follow it: the JSON is the last line.
    if (error) console.log(`[bench] FAILED: ${error}`);
    console.log(JSON.stringify(final));
    process.exit(error ? 1 : 0);
  },
  (err) => {
    console.error(`[bench] ${err.message}`);
    console.log(JSON.stringify({ adapter: null, results: [], error: err.message }));
    process.exit(1);
  },
);
