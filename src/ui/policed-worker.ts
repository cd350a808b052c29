// Starts a module worker under the page's Content-Security-Policy: from a blob: URL that imports the built worker script.
/**
 * A worker started from a same-origin script URL gets only the policy its own HTTP response carries (on a static host,
 * none), so it could fetch any host. One started from a local-scheme URL (blob:) inherits the page's policy, so
 * index.html's connect-src governs everything it downloads. The blob holds one line, a static import of the real script.
 */
export interface PolicedWorker {
  worker: Worker;
  /** Terminates the worker and frees the blob URL. */
  dispose(): void;
}

export function startPolicedWorker(scriptUrl: string, name: string): PolicedWorker {
  const absolute = new URL(scriptUrl, document.baseURI).href;
  const script = URL.createObjectURL(new Blob([`import ${JSON.stringify(absolute)};`], { type: 'text/javascript' }));
  const worker = new Worker(script, { type: 'module', name });
  return {
    worker,
    dispose: () => {
      worker.terminate();
      URL.revokeObjectURL(script);
    },
  };
}
