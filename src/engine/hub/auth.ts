// The user's Hugging Face token on Hub requests: an Authorization header for huggingface.co hosts (and this machine's own loopback) only.

/**
 * Whether a request to `url` may carry the Hub token: https to huggingface.co or one of its subdomains, or a loopback
 * address of this machine (a local mirror or the test Hub; the token does not leave the machine). Anything else, a
 * mirror endpoint on another host included, never gets it. Redirects the Hub answers with (signed LFS URLs on other
 * hosts) need no token, and fetch drops Authorization on a cross-origin redirect.
 */
export function isHubTokenHost(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const host = u.hostname.toLowerCase();
  if (u.protocol === 'https:' && (host === 'huggingface.co' || host.endsWith('.huggingface.co'))) return true;
  return (u.protocol === 'http:' || u.protocol === 'https:') && (host === 'localhost' || host === '127.0.0.1' || host === '[::1]');
}

/** `fetch` that adds `Authorization: Bearer <token>` to requests for the hosts above; the plain fetch when there is no token. */
export function fetchWithHubToken(base: typeof fetch, token: string | null | undefined): typeof fetch {
  const value = token?.trim();
  if (!value) return base;
  return (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!isHubTokenHost(url)) return base(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('Authorization', `Bearer ${value}`);
    return base(input, { ...init, headers });
  };
}
