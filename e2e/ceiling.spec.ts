// The Capability ceiling preset in real Chromium: explained with its sources, a base that is not installed and a split
// leaving no held-out entity refused before anything runs, and its quick check (an untrained seed model beside the
// 70k base, 4 steps each) trains each base for real and draws the per-base chart, table and stage view.
import { test, expect } from './fixtures';
import { screenshot } from './helpers';

test('Capability ceiling preset: explained, bad bases and splits refused, its quick check trains each base and charts it', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/#/experiments');
  const preset = page.getByRole('button', { name: /^Capability ceiling/ });
  await preset.click();
  await expect(preset).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('ceiling');
  const explain = page.getByTestId('preset-explain');
  await expect(explain).toContainText('Fine-tuning mostly teaches a model how to answer, not what is true');
  await expect(explain.getByRole('link', { name: /Gekhman et al\. 2024/ })).toHaveAttribute('href', 'https://arxiv.org/abs/2405.05904');
  await expect(page.getByRole('button', { name: 'Run all 12' })).toBeEnabled();

  // A base this build does not ship, then no base at all, then a split with no held-out entity: each field says why.
  const bases = page.getByLabel('Bases (comma-separated; the same fine-tune on each)');
  const shipped = await bases.inputValue();
  await bases.fill('tiny-world-ctx256-70k, tiny-world-9m');
  await expect(page.getByText(/“tiny-world-9m” is not installed in this build: pick from tiny-world-800k/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run — fix the marked fields first' })).toBeDisabled();
  expect(new URL(page.url()).searchParams.get('bases')).toBe('tiny-world-ctx256-70k, tiny-world-9m');
  await bases.fill('');
  await expect(page.getByText(/Name at least one base/)).toBeVisible();
  await bases.fill(shipped);
  const split = page.getByLabel('Trained entities (of 20; the rest are held out)');
  await split.fill('20');
  await expect(page.getByText('20 is above 19: enter a whole number from 1 to 19, such as 12.')).toBeVisible();
  await split.fill('12');
  await expect(page.getByRole('button', { name: 'Run all 12' })).toBeEnabled();
  await screenshot(page, 'experiments-ceiling-setup');

  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('region', { name: 'Quick check' })).toContainText('reduced copy of your Capability ceiling setup');
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 150_000 });
  const table = page.getByRole('table', { name: 'Measured points (ceiling)' });
  await expect(table).toContainText('seed:tiny');
  await expect(table).toContainText('tiny-world-ctx256-70k (72k parameters)');
  await expect(table).toContainText('FACT before fine-tuning (x)');
  const reading = page.getByTestId('reading-ceiling');
  await expect(reading).toContainText('tiny-world-ctx256-70k (72k parameters): FACT before fine-tuning');
  await expect(reading).toContainText('One seed: the intervals cover the eval facts');
  await screenshot(page, 'experiments-ceiling-quick');

  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  await expect(stage.getByTestId('stage-reading')).toContainText('Paired by seed');
  await screenshot(page, 'experiments-ceiling-stage');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();
});
