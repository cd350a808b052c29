// The precache list follows the app's own file graph and leaves the bench and self-test pages out.
import { describe, expect, it } from 'vitest';
import { precachedUrls } from './pwa-precache.mjs';

const files: Record<string, string> = {
  'index.html': '<script src="./assets/main-AAAA1111.js"></script><link href="./assets/main-BBBB2222.css">',
  'bench.html': '<script src="./assets/bench-CCCC3333.js"></script>',
  'sw.js': 'importScripts("./workbox-12345678.js")',
  'workbox-12345678.js': '',
  'manifest.webmanifest': '{}',
  'icons/icon-192.png': '',
  'models/tiny-world-800k/model.safetensors': '',
  'assets/main-AAAA1111.js': 'import("./chunk-DDDD4444.js"); new Worker(new URL("gpu.worker-EEEE5555.js", import.meta.url))',
  'assets/main-BBBB2222.css': 'url(./font-FFFF6666.woff2)',
  'assets/chunk-DDDD4444.js': '',
  'assets/gpu.worker-EEEE5555.js': 'fetch("tfjs-backend-wasm-GGGG7777.wasm")',
  'assets/tfjs-backend-wasm-GGGG7777.wasm': 'binary that mentions chunk-HHHH8888.js',
  'assets/chunk-HHHH8888.js': '',
  'assets/font-FFFF6666.woff2': '',
  'assets/bench-CCCC3333.js': 'import("./bench.worker-IIII9999.js")',
  'assets/bench.worker-IIII9999.js': '',
};

describe('precachedUrls', () => {
  const kept = precachedUrls(Object.keys(files), (url) => files[url]);

  it('keeps the app: index.html, its chunks, the worker, the wasm it loads, the CSS and what the CSS names', () => {
    for (const url of ['index.html', 'assets/main-AAAA1111.js', 'assets/chunk-DDDD4444.js', 'assets/gpu.worker-EEEE5555.js', 'assets/tfjs-backend-wasm-GGGG7777.wasm', 'assets/main-BBBB2222.css', 'assets/font-FFFF6666.woff2']) {
      expect(kept, url).toContain(url);
    }
  });

  it('keeps public files (icons, manifest, the Tiny World bases)', () => {
    for (const url of ['manifest.webmanifest', 'icons/icon-192.png', 'models/tiny-world-800k/model.safetensors']) expect(kept, url).toContain(url);
  });

  it('leaves out other pages, their chunks, the service worker scripts, and names read only from binaries', () => {
    for (const url of ['bench.html', 'assets/bench-CCCC3333.js', 'assets/bench.worker-IIII9999.js', 'sw.js', 'workbox-12345678.js', 'assets/chunk-HHHH8888.js']) {
      expect(kept, url).not.toContain(url);
    }
  });
});
