// One Hub-layout server for a spec's tests, and loading a model from it on the Models page as a user does.
import type { Page } from '@playwright/test';
import { test } from './fixtures';
import { openPage } from './helpers';
import { startHubServer, type HubServer } from './hub-server';

/** Starts the server before the spec's tests and closes it after them; `current` is valid inside tests. */
export function useHubServer(): { readonly current: HubServer } {
  const holder = {} as { current: HubServer };
  test.beforeAll(async () => {
    holder.current = await startHubServer();
  });
  test.afterAll(async () => {
    await holder.current.close();
  });
  return holder;
}

/** Opens the app from the server, types the repository and the server as mirror endpoint, and presses Load. */
export async function loadHubModel(page: Page, origin: string, repo: string): Promise<void> {
  await page.goto(`${origin}/`);
  await openPage(page, 'Models');
  await page.getByLabel('Repository').fill(repo);
  await page.getByText('Advanced').click();
  await page.getByLabel('Endpoint (a mirror)').fill(`${origin}/hub`);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
}
