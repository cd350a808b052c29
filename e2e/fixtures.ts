// The e2e `test`: every spec fails on a console error or warning (Svelte's included), or an uncaught exception, from any page or worker.
import { test as base, expect } from '@playwright/test';

export { expect };
export type { Page } from '@playwright/test';

interface ConsoleGuardOptions {
  /**
   * Console messages a spec provokes on purpose (e.g. the 404 of a file it deletes from a test server), matched
   * against `type: text`. Set with `test.use({ consoleAllow: [/…/] })` beside a comment that says why it is expected.
   */
  consoleAllow: RegExp[];
}

/**
 * Chromium asks for /favicon.ico by itself on a document that names no icon (a test navigating to /favicon.svg to get
 * a same-origin page, a test server's page); its 404 says nothing about the app, whose pages all name their icon.
 */
function isBrowserFaviconProbe(url: string, text: string): boolean {
  return new URL(url, 'http://x').pathname === '/favicon.ico' && text.startsWith('Failed to load resource');
}

/** Each problem once, with how often it happened (a progress callback fails a few times a second). */
function summary(problems: string[]): string[] {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts].map(([p, n]) => (n > 1 ? `${n}× ${p}` : p));
}

export const test = base.extend<ConsoleGuardOptions & { consoleGuard: void }>({
  consoleAllow: [[], { option: true }],

  consoleGuard: [
    async ({ context, consoleAllow }, use) => {
      const problems: string[] = [];
      // The context's events cover every page the test opens and their dedicated workers (the GPU worker's messages and
      // uncaught errors arrive here too, with `worker()` set).
      context.on('console', (message) => {
        const type = message.type();
        if (type !== 'error' && type !== 'warning' && type !== 'assert') return;
        const text = message.text();
        const { url, lineNumber } = message.location();
        if (isBrowserFaviconProbe(url, text)) return;
        if (consoleAllow.some((pattern) => pattern.test(`${type}: ${text}`))) return;
        const worker = message.worker();
        const origin = worker ? `worker ${worker.url().split('/').pop()}` : 'page';
        problems.push(`${origin} console.${type} at ${url || '(no url)'}:${lineNumber}: ${text}`);
      });
      context.on('weberror', (webError) => {
        const error = webError.error();
        const text = `${error.name}: ${error.message}`;
        if (consoleAllow.some((pattern) => pattern.test(`uncaught: ${text}`))) return;
        problems.push(`uncaught exception: ${error.stack ?? text}`);
      });
      await use();
      expect(summary(problems), 'The browser console must stay clean: no errors, no warnings (Svelte\'s included), no uncaught exceptions').toEqual([]);
    },
    { auto: true },
  ],
});
