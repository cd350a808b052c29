// A Hugging Face token for a private repo: refused without it (the message says to add one), saved on the Models page, loaded with it, cleared.
import { expect, test } from './fixtures';
import { loadHubModel, useHubServer } from './hub-fixture';
import { PRIVATE_REPO_TOKEN } from './hub-server';
import { screenshot } from './helpers';

const hubServer = useHubServer();

// The private repo's 401 without the token is what the test provokes; the browser logs the failed request.
test.use({ consoleAllow: [/Failed to load resource: the server responded with a status of 401/] });

test('a private repo: 401 says to add a token; with the token saved it loads; the token stays out of URLs and localStorage and can be cleared', async ({ page }) => {
  test.setTimeout(180_000);
  await loadHubModel(page, hubServer.current.origin, 'tunelab-private/tiny-gpt2');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The server refused config.json (HTTP 401): the repository is gated or private.');
  await expect(alert).toContainText('Add your Hugging Face token (read access) under "Hugging Face token" above, and accept the model\'s terms');
  const form = page.getByRole('form', { name: 'Hugging Face token' });
  await expect(form).toBeVisible(); // the refusal opened it
  await expect(form.getByRole('status')).toContainText('No token is saved.');
  await form.getByLabel('Access token (read)').fill(PRIVATE_REPO_TOKEN);
  await form.getByRole('button', { name: 'Save token' }).click();
  await expect(form.getByRole('status')).toContainText('A token is saved in this browser.');
  await expect(form.getByLabel('Access token (read)')).toHaveValue('');
  await screenshot(page, 'hub-token-saved');

  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('loaded-model')).toContainText('tunelab-private/tiny-gpt2@main · gpt2', { timeout: 120_000 });
  expect(hubServer.current.requests).toContain('tunelab-private/tiny-gpt2/model.safetensors');
  expect(hubServer.current.requests.join('\n')).not.toContain(PRIVATE_REPO_TOKEN);
  expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(PRIVATE_REPO_TOKEN);
  await screenshot(page, 'hub-token-loaded');

  await form.getByRole('button', { name: 'Clear token' }).click();
  await expect(form.getByRole('status')).toContainText('No token is saved.');
  await expect(form.getByRole('button', { name: 'Clear token' })).toHaveCount(0);
});
