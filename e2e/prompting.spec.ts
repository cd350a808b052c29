// The Prompting vs fine-tuning preset in real Chromium: explained with its sources, a k that does not fit the base's
// context refused on its field (naming the largest k that fits), and its quick check (untrained seed base, 1 seed: 0 and 1
// shots, one 4-step LoRA run on 8 examples) runs for real to the chart, the cost side and the stage view.
import { test, expect } from './fixtures';
import { screenshot } from './helpers';

test('Prompting preset: explained, too many shots refused, its quick check charts both arms and the cost side', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/#/experiments');
  const preset = page.getByRole('button', { name: /^Prompting vs fine-tuning/ });
  await preset.click();
  await expect(preset).toHaveAttribute('aria-pressed', 'true');
  expect(new URL(page.url()).searchParams.get('preset')).toBe('prompting');
  const explain = page.getByTestId('preset-explain');
  await expect(explain).toContainText('Before fine-tuning anything, ask whether prompting is enough');
  await expect(explain.getByRole('link', { name: /Brown et al\. 2020/ })).toHaveAttribute('href', 'https://arxiv.org/abs/2305.16938');
  await expect(page.getByRole('button', { name: 'Run all 27' })).toBeEnabled();

  // 40 shots do not fit the 256-character context before every item: the field names the largest k that fits, Run is blocked, the link keeps it.
  const shots = page.getByLabel('Axis 1 values (comma-separated)');
  await expect(shots).toHaveValue('0, 1, 2, 4, 8');
  await shots.fill('0, 1, 2, 4, 8, 40');
  await expect(page.getByText(/k = 40 does not fit: tiny-world-ctx256-440k reads 256 characters.*The largest k that fits is \d+\./)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run — fix the marked fields first' })).toBeDisabled();
  expect(new URL(page.url()).searchParams.get('axis1')).toBe('shots:0,1,2,4,8,40');
  await shots.fill('0, 1, 2, 4, 8');
  await expect(page.getByRole('button', { name: 'Run all 27' })).toBeEnabled();
  await screenshot(page, 'experiments-prompting-setup');

  await page.getByRole('button', { name: /^Quick check/ }).click();
  await expect(page.getByRole('region', { name: 'Quick check' })).toContainText('reduced copy of your Prompting vs fine-tuning setup');
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 100_000 });
  const table = page.getByRole('table', { name: 'Measured points (prompting-curves)' });
  // k = 0, k = 1, N = 8, and N = 8 against the best prompting point.
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table).toContainText('prompting the base (k shots)');
  await expect(table).toContainText('LoRA fine-tuned (N examples), zero-shot');
  const reading = page.getByTestId('reading-prompting-curves');
  await expect(reading).toContainText('Prompting the untouched base on');
  await expect(reading).toContainText('One seed: the intervals cover the eval items');
  await expect(page.getByTestId('reading-prompting-cost')).toContainText('Prompt tokens per query (measured with the base\'s tokenizer): k = 0:');
  await screenshot(page, 'experiments-prompting-quick');

  await page.getByRole('button', { name: 'Present charts' }).click();
  const stage = page.getByTestId('stage');
  await expect(stage.getByTestId('stage-reading')).toContainText('Best prompting: k =');
  await screenshot(page, 'experiments-prompting-stage');
  await page.keyboard.press('ArrowRight');
  await expect(stage.getByTestId('stage-reading')).toContainText('Prompt tokens per query');
  await screenshot(page, 'experiments-prompting-stage-cost');
  await page.keyboard.press('Escape');
  await expect(stage).toBeHidden();
});
