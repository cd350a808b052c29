// Runs npm scripts side by side (CI's lint and type check are single-threaded, so two share two cores); each one's
// output is printed whole when it ends, and the run fails if any of them failed. Usage: node scripts/run-parallel.mjs lint check
import { spawn } from 'node:child_process';

const names = process.argv.slice(2);
if (names.length === 0) {
  console.error('Name the npm scripts to run, e.g. node scripts/run-parallel.mjs lint check');
  process.exit(2);
}

/** Runs `npm run <name>`, collecting its output; resolves with its exit code. */
function run(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npm', ['run', '--silent', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n> npm run ${name} (${seconds} s, exit ${code})\n${Buffer.concat(chunks).toString()}`);
      resolve(code ?? 1);
    });
  });
}

const codes = await Promise.all(names.map(run));
const failed = names.filter((_, i) => codes[i] !== 0);
if (failed.length) {
  console.error(`\nFailed: ${failed.map((n) => `npm run ${n}`).join(', ')}`);
  process.exit(1);
}
