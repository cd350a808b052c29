// Accessibility: an axe-core audit of every page and of the presentation view, with real content on them (a dataset, a
// finished run, an experiment's charts), in the normal theme and in presentation mode, at 1280×720 (the tightest layout;
// axe's rules read the DOM, names and colours, which the viewport does not change): zero violations. Screenshots of every
// page at 1280×720 and 1920×1080 land in test-results/screenshots/<page>[-presentation]-<size>.png, and the Train page's charts are
// checked for legible labels at both sizes.
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from './fixtures';
import { cliffPreset, reducedSpec } from '../src/engine/experiments/presets';
import { specToQuery } from '../src/engine/experiments/url-state';
import { expectLegibleCharts } from './chart-labels';
import { createExampleDataset, screenshot, startTinyRun } from './helpers';

const PAGES = ['Models', 'Data', 'Train', 'Evaluate', 'Experiments', 'Storage', 'Retrieval'] as const;
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

async function audit(page: Page, where: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  expect(found, `axe violations on ${where}`).toEqual([]);
}

async function open(page: Page, name: (typeof PAGES)[number]) {
  await page.getByRole('tab', { name }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

async function setPresentationMode(page: Page, on: boolean) {
  const toggle = page.getByRole('button', { name: 'Presentation mode' });
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-presentation', String(on));
}

test('every page and the presentation view pass axe with zero violations at 1280×720, in the normal theme and in presentation mode; screenshots at both sizes', async ({ page }) => {
  test.setTimeout(480_000);
  await page.goto('/');
  await createExampleDataset(page);
  await startTinyRun(page, { steps: 12, checkpointEvery: 6 });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 240_000 });
  // An experiment's charts for the Experiments page and the stage (the run above stays stored).
  await page.goto(`/?${specToQuery(reducedSpec(cliffPreset()))}#/experiments`);
  await page.getByRole('button', { name: 'Run all 2' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 240_000 });

  for (const presentation of [false, true]) {
    await setPresentationMode(page, presentation);
    const mode = presentation ? '-presentation' : '';
    for (const size of SIZES) {
      const tag = `${size.width}x${size.height}`;
      await page.setViewportSize(size);
      for (const name of PAGES) {
        await open(page, name);
        if (name === 'Train') {
          await page.getByRole('button', { name: /run/i }).first().waitFor();
          // The run's live charts follow the type scale like the experiment's.
          await expect(async () => void (await expectLegibleCharts(page.getByRole('main'), presentation ? 18 : 11, `Train${mode} ${tag}`))).toPass({ timeout: 15_000 });
        }
        // Audited at 1280×720, the tightest layout (and the projector's); 1920×1080 gets the screenshot.
        if (size.width === 1280) await audit(page, `${name}${mode} ${tag}`);
        await screenshot(page, `${name.toLowerCase()}${mode}-${tag}`);
      }
      await open(page, 'Experiments');
      await page.getByRole('button', { name: 'Present charts' }).click();
      await expect(page.getByTestId('stage')).toBeVisible();
      if (size.width === 1280) await audit(page, `presentation view${mode} ${tag}`);
      await page.screenshot({ path: `test-results/screenshots/presentation-view${mode}-${tag}.png` });
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('stage')).toBeHidden();
    }
  }
  await setPresentationMode(page, false);
});
