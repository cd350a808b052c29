// A large JSONL (generated here, ~20 MB; or TUNELAB_LARGE_FILE / TUNELAB_LARGE_MB by hand) imports in chunks while the
// page keeps painting; the dataset then opens from its metadata at once; a cancelled import leaves nothing behind.
// Measured 2026-11-30 (2 shared cores, load ~45): TUNELAB_LARGE_MB=100 → 477,553 rows saved in 239 chunks in 542 s;
// longest main-thread task 149 ms CPU (1.1 s wall); reopening 1.2 s; peak renderer RSS 502 MB. Schema v2 aborted.
import { test, expect, type Page } from './fixtures';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPage } from './helpers';

/** Longest main-thread task (CPU time) we accept while importing or opening a dataset. */
const MAX_STALL_MS = 200;
const targetMb = Number(process.env.TUNELAB_LARGE_MB ?? 20);
/** Time allowed for one import: generous, since this shared 2-core machine imports at 0.1–0.3 MB/s under load. */
const importBudgetMs = Math.max(840_000, targetMb * 40_000);

interface Generated {
  path: string;
  rows: number;
  badLines: number;
}

/** Deterministic JSONL of about `mb` MB: mixed shapes, some duplicates, one bad line in 5,000, varied lengths. */
function writeJsonl(dir: string, mb: number): Generated {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'route', 'ticket', 'billing', 'refund', 'login', 'crash', 'reset', 'ship'];
  const parts: string[] = [];
  let bytes = 0;
  let rows = 0;
  let badLines = 0;
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const phrase = (n: number) => Array.from({ length: n }, () => words[next() % words.length]).join(' ');
  for (let i = 1; bytes < mb * 1024 * 1024; i++) {
    let line: string;
    if (i % 5000 === 0) {
      line = `{"prompt": "broken line ${i}"`;
      badLines++;
    } else if (i % 97 === 0) {
      line = JSON.stringify({ prompt: 'duplicate prompt', completion: 'duplicate answer' });
      rows++;
    } else if (i % 3 === 0) {
      line = JSON.stringify({ messages: [{ role: 'user', content: `${phrase(8 + (next() % 30))} #${i}` }, { role: 'assistant', content: phrase(3 + (next() % 10)) }] });
      rows++;
    } else if (i % 7 === 0) {
      line = JSON.stringify({ text: `${phrase(20 + (next() % 60))} #${i}`, cohort: `c${i % 4}` });
      rows++;
    } else {
      line = JSON.stringify({ prompt: `${phrase(5 + (next() % 40))} #${i} >`, completion: phrase(1 + (next() % 8)), cohort: `c${i % 4}` });
      rows++;
    }
    parts.push(line);
    bytes += line.length + 1;
  }
  const path = join(dir, `large-${mb}mb.jsonl`);
  writeFileSync(path, parts.join('\n') + '\n');
  return { path, rows, badLines };
}

/** Starts recording the longest gap between animation frames and the longest long task on the page. */
async function startStallProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { stall: { frameGap: number; longTask: number; running: boolean; log: string[] } };
    w.stall = { frameGap: 0, longTask: 0, running: true, log: [] };
    let last = performance.now();
    const tick = (now: number) => {
      if (now - last > 100) w.stall.log.push(`gap ${Math.round(now - last)} ms at ${Math.round(last)}`);
      w.stall.frameGap = Math.max(w.stall.frameGap, now - last);
      last = now;
      if (w.stall.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        w.stall.longTask = Math.max(w.stall.longTask, entry.duration);
        if (entry.duration > 100) w.stall.log.push(`task ${Math.round(entry.duration)} ms at ${Math.round(entry.startTime)}`);
      }
    }).observe({ type: 'longtask' });
  });
}

async function readStall(page: Page): Promise<{ frameGap: number; longTask: number }> {
  const stall = await page.evaluate(() => {
    const w = window as unknown as { stall: { frameGap: number; longTask: number; running: boolean; log: string[] } };
    w.stall.running = false;
    return { frameGap: w.stall.frameGap, longTask: w.stall.longTask, log: w.stall.log, now: Math.round(performance.now()) };
  });
  if (process.env.TUNELAB_STALL_LOG) console.log(`stalls (page time now ${stall.now} ms): ${stall.log.join('; ')}`);
  return stall;
}

/**
 * Main-thread tasks from a Chrome trace: the longest by wall time and by thread CPU time. On a shared, overloaded
 * machine wall time also counts the time the OS gave the CPU to others; CPU time is only the page's own work.
 */
function mainThreadTasks(trace: Buffer): { tasks: number; wallMs: number; cpuMs: number } {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: { name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }[] }).traceEvents;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  let tasks = 0;
  let wallMs = 0;
  let cpuMs = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'RunTask' || !main.has(`${e.pid}:${e.tid}`)) continue;
    tasks++;
    wallMs = Math.max(wallMs, (e.dur ?? 0) / 1000);
    cpuMs = Math.max(cpuMs, (e.tdur ?? 0) / 1000);
  }
  return { tasks, wallMs, cpuMs };
}

/** Resident memory (MB) of the browser: this test process's descendants, summed, and the largest renderer. */
function browserMemory(): { totalMb: number; rendererMb: number } {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  const renderers = new Set<number>();
  // Linux only; elsewhere memory is not reported.
  const pids = (() => {
    try {
      return readdirSync('/proc');
    } catch {
      return [];
    }
  })();
  for (const name of pids) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
      rss.set(Number(name), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('--type=renderer')) renderers.add(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  let totalMb = 0;
  let rendererMb = 0;
  const walk = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      totalMb += rss.get(child) ?? 0;
      if (renderers.has(child)) rendererMb = Math.max(rendererMb, rss.get(child) ?? 0);
      walk(child);
    }
  };
  walk(process.pid);
  return { totalMb, rendererMb };
}

async function storedChunkCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('tunelab');
        open.onsuccess = () => {
          const count = open.result.transaction('datasetChunks').objectStore('datasetChunks').count();
          count.onsuccess = () => {
            open.result.close();
            resolve(count.result);
          };
          count.onerror = () => reject(count.error);
        };
        open.onerror = () => reject(open.error);
      }),
  );
}

let dir = '';
let file: Generated;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tunelab-large-'));
  const given = process.env.TUNELAB_LARGE_FILE;
  file = given ? { path: given, rows: -1, badLines: -1 } : writeJsonl(dir, targetMb);
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a large JSONL is saved in chunks while the page keeps painting, and then opens from its metadata at once', async ({ page }) => {
  test.setTimeout(importBudgetMs + 120_000);
  const mb = statSync(file.path).size / 1024 / 1024;
  await page.goto('/');
  await openPage(page, 'Data');
  let peak = browserMemory();
  const sampler = setInterval(() => {
    const now = browserMemory();
    peak = { totalMb: Math.max(peak.totalMb, now.totalMb), rendererMb: Math.max(peak.rendererMb, now.rendererMb) };
  }, 250);
  try {
    await startStallProbe(page);
    const browser = page.context().browser()!;
    await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
    const started = Date.now();
    await page.getByLabel('Choose a JSONL or CSV file').setInputFiles(file.path);
    const progress = page.getByRole('status').filter({ hasText: 'Importing' });
    await expect(progress).toBeVisible();
    // Rows reach storage while the file is still being read.
    await expect(progress).toContainText(/[1-9][\d,]* rows saved/, { timeout: 300_000 });
    await expect(page.getByTestId('dataset-rows')).toBeVisible({ timeout: importBudgetMs });
    const seconds = (Date.now() - started) / 1000;
    const importStall = await readStall(page);
    const importTasks = mainThreadTasks(await browser.stopTracing());
    console.log(`main-thread tasks while importing: ${importTasks.tasks}, longest ${importTasks.wallMs.toFixed(0)} ms wall, longest ${importTasks.cpuMs.toFixed(0)} ms CPU`);
    const rowsText = (await page.getByTestId('dataset-rows').textContent()) ?? '';
    const rows = Number(rowsText.replace(/,/g, ''));
    if (file.rows >= 0) {
      expect(rows).toBe(file.rows);
      await expect(page.getByTestId('dataset-bad-lines')).toHaveText(file.badLines.toLocaleString('en-US'));
    }
    await expect(page.getByTestId('preview-range')).toContainText(`of ${rowsText}`);

    // Opening it again (a fresh page) reads only the metadata and one page of rows.
    await page.reload();
    await expect(page.getByRole('tab', { name: 'Data' })).toBeVisible();
    await startStallProbe(page);
    await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
    const opening = Date.now();
    await openPage(page, 'Data');
    await expect(page.getByTestId('dataset-rows')).toHaveText(rowsText);
    await expect(page.getByRole('table', { name: 'Dataset preview' }).getByRole('row')).toHaveCount(26);
    const openMs = Date.now() - opening;
    await page.getByRole('button', { name: 'Last page' }).click();
    await expect(page.getByTestId('preview-range')).toContainText(`–${rowsText} of ${rowsText}`);
    const openStall = await readStall(page);
    const openTasks = mainThreadTasks(await browser.stopTracing());

    await openPage(page, 'Storage');
    const item = page.getByRole('row').filter({ hasText: `(${rows} rows in` });
    await expect(item).toBeVisible();
    const storageLabel = (await item.textContent()) ?? '';
    console.log(
      `large import: ${mb.toFixed(1)} MB, ${rowsText} rows in ${seconds.toFixed(1)} s (${(mb / seconds).toFixed(2)} MB/s); ` +
        `while importing: longest main-thread task ${importTasks.cpuMs.toFixed(0)} ms CPU / ${importTasks.wallMs.toFixed(0)} ms wall ` +
        `(longest frame gap ${importStall.frameGap.toFixed(0)} ms, long task ${importStall.longTask.toFixed(0)} ms); ` +
        `open after reload ${openMs} ms, longest task ${openTasks.cpuMs.toFixed(0)} ms CPU / ${openTasks.wallMs.toFixed(0)} ms wall ` +
        `(frame gap ${openStall.frameGap.toFixed(0)} ms); peak browser RSS ${peak.totalMb.toFixed(0)} MB ` +
        `(largest renderer ${peak.rendererMb.toFixed(0)} MB); storage: ${storageLabel}`,
    );
    // No main-thread task may take more than MAX_STALL_MS of CPU: the page's own work never freezes it. (Reading all
    // rows back to the page, as schema v2 did, took seconds of main-thread CPU at 30 MB.)
    expect(importTasks.tasks).toBeGreaterThan(100);
    expect(importTasks.cpuMs).toBeLessThan(MAX_STALL_MS);
    expect(openTasks.cpuMs).toBeLessThan(MAX_STALL_MS);
    expect(openMs).toBeLessThan(5_000);
    // Wall-clock gaps also count the time other processes held the CPU; on a quiet machine, assert them too.
    if (process.env.TUNELAB_STRICT_STALL) {
      expect(importStall.frameGap).toBeLessThan(MAX_STALL_MS);
      expect(importStall.longTask).toBeLessThan(MAX_STALL_MS);
      expect(openStall.frameGap).toBeLessThan(MAX_STALL_MS);
    }
  } finally {
    clearInterval(sampler);
  }
});

test('cancelling a large import mid-way leaves no dataset and no row chunks', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('/');
  await openPage(page, 'Data');
  await page.getByLabel('Choose a JSONL or CSV file').setInputFiles(file.path);
  const progress = page.getByRole('status').filter({ hasText: 'Importing' });
  await expect(progress).toContainText(/[1-9][\d,]* rows saved/, { timeout: 300_000 });
  await page.getByRole('button', { name: 'Cancel import' }).click();
  await expect(progress).toBeHidden({ timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'No dataset yet' })).toBeVisible();
  await expect.poll(() => storedChunkCount(page), { timeout: 30_000 }).toBe(0);
  await openPage(page, 'Storage');
  await expect(page.getByRole('heading', { name: 'Nothing stored yet' })).toBeVisible();
});
