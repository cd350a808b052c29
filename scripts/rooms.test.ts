// Every file is in a room a newcomer can name (docs/architecture.md): the rules ESLint cannot see, because they are about
// where a file lives rather than what it imports.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

function filesUnder(dir: string): string[] {
  return readdirSync(resolve(root, dir), { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(resolve(root, f)).isFile());
}

describe('rooms', () => {
  it('src/ holds only the known rooms', () => {
    const entries = readdirSync(resolve(root, 'src')).sort();
    expect(entries).toEqual(['contract', 'diagnostics', 'engine', 'main.ts', 'storage', 'ui', 'vite-env.d.ts']);
  });

  it('every state class (*.svelte.ts) lives in src/ui/state/, and no component does', () => {
    const stray = filesUnder('src').filter((f) => f.endsWith('.svelte.ts') && !f.startsWith('src/ui/state/'));
    expect(stray, 'move state classes into src/ui/state/').toEqual([]);
    const components = filesUnder('src/ui/state').filter((f) => f.endsWith('.svelte'));
    expect(components, 'components live in their feature folder, not in src/ui/state/').toEqual([]);
  });

  it('workers/jobs/ holds only jobs: each file exports a …Job function', () => {
    const notJobs = filesUnder('workers/jobs').filter((f) => !/export async function \w+Job\(/.test(readFileSync(resolve(root, f), 'utf8')));
    expect(notJobs, 'a file that runs no job belongs in workers/helpers/').toEqual([]);
  });

  it('every kernel folder holds a check of its kernel (a <kernel>-check.ts or a test)', () => {
    const kernels = resolve(root, 'src/engine/backend/kernels');
    const folders = readdirSync(kernels).filter((f) => statSync(join(kernels, f)).isDirectory());
    expect(folders.length).toBeGreaterThan(5);
    const unchecked = folders.filter((f) => !readdirSync(join(kernels, f)).some((n) => n.endsWith('-check.ts') || n.endsWith('.test.ts')));
    expect(unchecked).toEqual([]);
  });

  it('every diagnostic page is a bench, self-test or e2e harness page', () => {
    const pages = filesUnder('src/diagnostics').filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(0);
    const stray = pages.filter((f) => !/^src\/diagnostics\/(bench|selftest|e2e-harness)\/[^/]+\.html$/.test(relative('.', f)));
    expect(stray).toEqual([]);
  });
});
