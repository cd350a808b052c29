// The app's Content-Security-Policy lets the page reach exactly its own origin, the Hub, and web-llm's model-library folder: every URL of web-llm's prebuilt list is covered, nothing else is named.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelLibURLPrefix, prebuiltAppConfig } from '@mlc-ai/web-llm';

const root = resolve(import.meta.dirname, '..');

function connectSrc(htmlFile: string): string[] {
  const html = readFileSync(resolve(root, htmlFile), 'utf8');
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  if (!csp) throw new Error(`${htmlFile} sets no Content-Security-Policy`);
  const directive = csp.split(';').map((d) => d.trim().split(/\s+/)).find(([name]) => name === 'connect-src');
  return directive?.slice(1) ?? [];
}

/** CSP host-source matching as browsers do it for https sources: the host (with a leading "*." wildcard), then a path prefix when the source ends in "/". */
function allows(sources: string[], url: string): boolean {
  const u = new URL(url);
  return sources.some((source) => {
    if (source === "'self'") return false;
    const s = /^https:\/\/(\*\.)?([^/]+)(\/.*)?$/.exec(source);
    if (!s || u.protocol !== 'https:') return false;
    const hostOk = s[1] ? u.hostname.endsWith(`.${s[2]}`) : u.hostname === s[2];
    const path = s[3] ?? '';
    return hostOk && (path === '' || path === '/' || (path.endsWith('/') ? u.pathname.startsWith(path) : u.pathname === path));
  });
}

describe('Content-Security-Policy connect-src', () => {
  const sources = connectSrc('index.html');

  it('names its own origin, the Hub (models, datasets, their CDN hosts) and web-llm\'s model libraries, nothing more', () => {
    expect(sources).toEqual(["'self'", 'https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co', 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/']);
  });

  it('covers every weights URL and model library of web-llm\'s prebuilt list, and the Hub CDN hosts its downloads redirect to', () => {
    for (const record of prebuiltAppConfig.model_list) {
      expect(allows(sources, `${record.model}/resolve/main/mlc-chat-config.json`), record.model).toBe(true);
      expect(allows(sources, record.model_lib), record.model_lib).toBe(true);
    }
    expect(modelLibURLPrefix.startsWith('https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/')).toBe(true);
    for (const cdn of ['https://cdn-lfs.huggingface.co/x', 'https://cdn-lfs-us-1.hf.co/x', 'https://cas-bridge.xethub.hf.co/x']) expect(allows(sources, cdn)).toBe(true);
    // The matcher refuses what the policy does not name.
    for (const other of ['https://raw.githubusercontent.com/someone/else/main/x.wasm', 'https://github.com/mlc-ai/binary-mlc-llm-libs', 'https://huggingface.co.evil.example/x', 'http://huggingface.co/x']) expect(allows(sources, other)).toBe(false);
  });

  it('the e2e harness pages carry the production policy unchanged', () => {
    for (const page of ['src/diagnostics/e2e-harness/model-loader.html', 'src/diagnostics/e2e-harness/hub-load.html']) expect(connectSrc(page)).toEqual(sources);
  });
});
