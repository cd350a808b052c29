// Which workflow page is open; kept in the URL hash so a reload comes back to the same page.

export const PAGES = [
  { id: 'models', label: 'Models', step: 1 },
  { id: 'data', label: 'Data', step: 2 },
  { id: 'train', label: 'Train', step: 3 },
  { id: 'evaluate', label: 'Evaluate', step: 4 },
  { id: 'experiments', label: 'Experiments', step: 5 },
  { id: 'storage', label: 'Storage', step: 6 },
  { id: 'retrieval', label: 'Retrieval', step: 7 },
] as const;

export type PageId = (typeof PAGES)[number]['id'];

function pageFromHash(): PageId {
  const id = location.hash.replace(/^#\/?/, '');
  return PAGES.find((p) => p.id === id)?.id ?? 'models';
}

export class Navigation {
  page = $state<PageId>(pageFromHash());

  constructor() {
    addEventListener('hashchange', () => (this.page = pageFromHash()));
  }

  go(page: PageId): void {
    this.page = page;
    history.replaceState(null, '', `#/${page}`);
  }
}
