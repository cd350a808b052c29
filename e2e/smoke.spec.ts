// The app loads and its worker starts a WebGPU backend in real Chromium.
import { test, expect } from './fixtures';

test('app loads and the GPU worker starts WebGPU', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'TuneLab' })).toBeVisible();
  await expect(page.getByTestId('backend-status')).toContainText('WebGPU', { timeout: 60_000 });
});
