// The workflow tabs work from the keyboard, empty states say what to do, presentation mode and the dark theme render.
import { test, expect } from './fixtures';
import { screenshot } from './helpers';

test('tabs by keyboard, empty states with next steps, presentation mode', async ({ page }) => {
  await page.goto('/');
  const models = page.getByRole('tab', { name: 'Models' });
  await expect(models).toHaveAttribute('aria-selected', 'true');
  await models.focus();
  await page.keyboard.press('ArrowRight');
  const data = page.getByRole('tab', { name: 'Data' });
  await expect(data).toBeFocused();
  await expect(data).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Data' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No dataset yet' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Retrieval' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Storage' })).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Nothing stored yet' })).toBeVisible();
  // Order: Models, Data, Train, Evaluate, Experiments, Storage, Retrieval.
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Experiments' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Evaluate' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'Train' })).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Choose data first' })).toBeVisible();
  await page.getByRole('button', { name: 'Go to Data' }).click();
  await expect(data).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/#\/data$/);

  const toggle = page.getByRole('button', { name: 'Presentation mode' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'true');
  await screenshot(page, 'presentation-mode');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'false');
});

test.describe('dark theme', () => {
  test.use({ colorScheme: 'dark' });
  test('follows the operating system', async ({ page }) => {
    await page.goto('/#/data');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(20, 23, 27)');
    await screenshot(page, 'data-dark');
  });
});
