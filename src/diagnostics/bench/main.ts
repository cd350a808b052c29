// The bench page: starts the bench worker and relays its progress to the console (read by scripts/bench.mjs) and the page.
import { configFromSearch, type BenchMessage } from './protocol';

const out = document.getElementById('log') as HTMLPreElement;
const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });

function show(line: string): void {
  out.textContent += `${line}\n`;
}

/** The browser's CPU ms so far, from scripts/bench.mjs (null when the page runs without it). */
const cpuMs = (window as unknown as { benchCpuMs?: () => Promise<number | null> }).benchCpuMs;

worker.onmessage = (e: MessageEvent<BenchMessage>) => {
  const msg = e.data;
  if (msg.type === 'cpu') {
    void (cpuMs ? cpuMs() : Promise.resolve(null)).then((ms) => worker.postMessage({ cpuReply: msg.id, ms }));
  } else if (msg.type === 'progress') {
    console.log(`BENCH_PROGRESS ${msg.text}`);
    show(msg.text);
  } else if (msg.type === 'partial') {
    console.log(`BENCH_PARTIAL ${JSON.stringify(msg.report)}`);
  } else if (msg.type === 'done') {
    console.log(`BENCH_DONE ${JSON.stringify(msg.report)}`);
    show(JSON.stringify(msg.report, null, 2));
    document.body.dataset.state = 'done';
  } else {
    console.log(`BENCH_ERROR ${msg.message}`);
    show(`error: ${msg.message}`);
    document.body.dataset.state = 'error';
  }
};
worker.onerror = (e) => {
  console.log(`BENCH_ERROR worker failed to start or crashed: ${e.message}`);
  document.body.dataset.state = 'error';
};
worker.postMessage(configFromSearch(location.search));
