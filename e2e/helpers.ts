// Shared e2e steps: open a page of the app, create the example dataset, save a screenshot for humans to look at.
import { expect, type Page } from '@playwright/test';

export async function openPage(page: Page, name: 'Models' | 'Data' | 'Train' | 'Evaluate' | 'Storage'): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

export async function createExampleDataset(page: Page): Promise<void> {
  await openPage(page, 'Data');
  await page.getByRole('button', { name: 'Create example dataset' }).first().click();
  await expect(page.getByTestId('dataset-rows')).toHaveText('400');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}
