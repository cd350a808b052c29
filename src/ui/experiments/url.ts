// Reads and rewrites the page's query string (the experiment state) without reloading or touching the hash route.

export function currentQuery(): URLSearchParams {
  return new URLSearchParams(location.search);
}

export function replaceQuery(query: URLSearchParams): void {
  history.replaceState(null, '', `?${query}${location.hash}`);
}
