// The bundle check finds tfjs in any chunk the page loads (entry, static or lazy import) but not in worker chunks, and enforces the budget.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBundle, pageChunks } from './check-bundle.mjs';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A fake dist/: index.html → main.js, which imports shared.js, lazy-loads page.js and starts worker.js. */
function fakeDist(sources: Record<string, string[]>): string {
  dir = mkdtempSync(join(tmpdir(), 'bundle-check-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<script type="module" crossorigin src="./assets/main.js"></script>\n<link rel="modulepreload" crossorigin href="./assets/shared.js">');
  const code: Record<string, string> = {
    'main.js': 'import{a as b}from"./shared.js";const p=()=>import("./page.js");new Worker(new URL(`worker.js`,import.meta.url));',
    'shared.js': 'export const a=1;',
    'page.js': 'import{a}from"./shared.js";export default a;',
    'worker.js': 'self.onmessage=()=>{};',
  };
  for (const [name, text] of Object.entries(code)) {
    writeFileSync(join(dir, 'assets', name), text);
    writeFileSync(join(dir, 'assets', `${name}.map`), JSON.stringify({ version: 3, sources: sources[name] ?? [`../../src/${name}.ts`], mappings: '' }));
  }
  return join(dir, 'index.html');
}

const TF = '../../node_modules/@tensorflow/tfjs-core/dist/engine.js';

describe('checkBundle', () => {
  it('follows static and lazy imports but not workers', () => {
    const { initial, lazy } = pageChunks(fakeDist({}));
    expect(initial.map((f) => f.split('/').pop()).sort()).toEqual(['main.js', 'shared.js']);
    expect(lazy.map((f) => f.split('/').pop())).toEqual(['page.js']);
  });

  it('passes a page without tfjs and accepts tfjs in a worker chunk', () => {
    expect(checkBundle(fakeDist({ 'worker.js': [TF] })).problems).toEqual([]);
  });

  it('fails when the entry, a static import or a lazy page holds tfjs', () => {
    for (const chunk of ['main.js', 'shared.js', 'page.js']) {
      const { problems } = checkBundle(fakeDist({ [chunk]: ['../../src/x.ts', TF] }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`assets/${chunk}`);
      expect(problems[0]).toContain('tfjs-core/dist/engine.js');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails when the initial JavaScript is over budget', () => {
    const report = checkBundle(fakeDist({}), 10);
    expect(report.initialBytes).toBeGreaterThan(10);
    expect(report.problems.join(' ')).toMatch(/over the budget of 10/);
  });
});
