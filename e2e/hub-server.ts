// A tiny static server for e2e: the built app (dist/) plus Hub fixtures at /hub/{repo}/resolve/{rev}/{file}, same origin.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { PACKAGE_FIXTURE_FILES, fixturePath } from '../src/engine/hub/testing/fixture-server';

const DIST = resolve(import.meta.dirname, '../dist');
const FIXTURES = resolve(import.meta.dirname, '../src/engine/hub/fixtures');
const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.map': 'application/json', '.png': 'image/png',
};

export interface HubServer {
  origin: string;
  /** Hub requests as "repo/file" plus " bytes=N-" for range requests. */
  requests: string[];
  /** Cut the next download of this file after `bytes` (the socket is destroyed mid-body). */
  cutNext(file: string, bytes: number): void;
  /** Send only the first `bytes` of the next download of this file, then hold the response open (a stalled download to cancel). */
  stallNext(file: string, bytes: number): void;
  close(): Promise<void>;
}

/** A private repo: `tunelab-private/{name}` serves tunelab-test/{name} only to requests with this bearer token (401 otherwise). */
export const PRIVATE_REPO_TOKEN = 'hf_tunelabE2ePrivateRepoToken';

function safeJoin(root: string, path: string): string | null {
  const full = normalize(join(root, decodeURIComponent(path)));
  return full.startsWith(root) && existsSync(full) && statSync(full).isFile() ? full : null;
}

/**
 * The Hub's Parquet listing of a fixture dataset (datasets/{repo}/{config}/{split}/*.parquet), with the API's own URL
 * form (`/api/datasets/{repo}/parquet/{config}/{split}/{n}.parquet`); 404 when the repo has none, 401 when it holds GATED.
 */
function parquetListing(base: string, repo: string): Record<string, Record<string, string[]>> | number {
  const root = join(FIXTURES, 'datasets', repo);
  if (!existsSync(root)) return 404;
  if (existsSync(join(root, 'GATED'))) return 401;
  const listing: Record<string, Record<string, string[]>> = {};
  for (const config of readdirSync(root)) {
    if (!statSync(join(root, config)).isDirectory()) continue;
    for (const split of readdirSync(join(root, config))) {
      const files = readdirSync(join(root, config, split)).filter((f) => f.endsWith('.parquet')).sort();
      (listing[config] ??= {})[split] = files.map((f) => `${base}/api/datasets/${repo}/parquet/${config}/${split}/${Number(f.replace('.parquet', ''))}.parquet`);
    }
  }
  return listing;
}

export async function startHubServer(): Promise<HubServer> {
  const requests: string[] = [];
  const cuts = new Map<string, number>();
  const stalls = new Map<string, number>();
  const stalled = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const listing = /^\/hub\/api\/datasets\/([\w.-]+\/[\w.-]+)\/parquet$/.exec(url.pathname);
    if (listing) {
      requests.push(`api/datasets/${listing[1]}/parquet`);
      const body = parquetListing(`http://${req.headers.host}/hub`, listing[1]);
      if (typeof body === 'number') res.writeHead(body, { 'content-type': 'application/json' }).end('{"error":"Access to this dataset is restricted."}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return;
    }
    const hub = /^\/hub\/(.+?\/.+?)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (hub) {
      const [, requested, , file] = hub;
      const range = req.headers.range;
      requests.push(`${requested}/${file}${range ? ` ${range}` : ''}`);
      if (requested.startsWith('tunelab-private/') && req.headers.authorization !== `Bearer ${PRIVATE_REPO_TOKEN}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Invalid credentials in Authorization header"}');
        return;
      }
      const repo = requested.replace(/^tunelab-private\//, 'tunelab-test/');
      const path = PACKAGE_FIXTURE_FILES[`${repo}/${file}`] ? fixturePath(FIXTURES, repo, file) : safeJoin(join(FIXTURES, repo), file);
      if (!path) {
        res.writeHead(404).end('Entry not found');
        return;
      }
      const bytes = readFileSync(path);
      const headers: Record<string, string> = {
        etag: `"${createHash('sha256').update(bytes).digest('hex')}"`,
        'accept-ranges': 'bytes',
        'x-repo-commit': 'fedcba9876543210fedcba9876543210fedcba98',
        'content-type': 'application/octet-stream',
      };
      const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
      const start = m ? Number(m[1]) : 0;
      if (m) headers['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
      headers['content-length'] = String(bytes.length - start);
      res.writeHead(m ? 206 : 200, headers);
      const stall = stalls.get(file);
      if (stall != null) {
        stalls.delete(file);
        res.write(bytes.subarray(start, start + stall));
        stalled.add(res);
        res.on('close', () => stalled.delete(res));
        return;
      }
      const cut = cuts.get(file);
      if (cut != null) {
        cuts.delete(file);
        res.write(bytes.subarray(start, start + cut), () => setTimeout(() => res.destroy(), 50));
        return;
      }
      res.end(bytes.subarray(start));
      return;
    }
    const path = safeJoin(DIST, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!path) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    cutNext: (file, bytes) => cuts.set(file, bytes),
    stallNext: (file, bytes) => stalls.set(file, bytes),
    close: () => new Promise((done) => {
      for (const res of stalled) res.destroy();
      server.close(() => done());
    }),
  };
}
