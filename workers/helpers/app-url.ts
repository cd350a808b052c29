// URLs of the app's own files (public/ → models/…) seen from a worker, whose own location is a blob: URL.
/**
 * The page starts its workers from blob: URLs (so its CSP governs them), and a blob: URL is no base for a relative
 * one. The worker's entry module records its real script URL here (dist/assets/… in a build, /workers/… on the dev
 * server: one folder below the app's root either way).
 */
let scriptUrl: string | null = null;

export function setWorkerScriptUrl(url: string): void {
  scriptUrl = url;
}

/** `path` under the app's root, e.g. appUrl('models/') → https://host/app/models/. */
export function appUrl(path: string): URL {
  return new URL(`../${path}`, scriptUrl ?? self.location.href);
}
