// Charts on stage: with real (reduced) experiment data, every chart on the Experiments page, in presentation mode and in
// the presentation view is legible at 1280×720 and 1920×1080: no clipped or overlapping label, text large enough to read
// from the back of a room, the stage chart filling the screen. Screenshots of each state land in test-results/screenshots/.
import { test, expect, type Page } from './fixtures';
import { cliffPreset, reducedSpec, saturationPreset } from '../src/engine/experiments/presets';
import { specToQuery } from '../src/engine/experiments/url-state';
import type { ExperimentSpec } from '../src/engine/experiments/types';
import { expectLegibleCharts } from './chart-labels';
import { screenshot } from './helpers';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];
/** Smallest chart text (CSS px): on the page, in presentation mode, and on the stage (presentation view). */
const MIN_PAGE_PX = 11;
const MIN_PRESENTATION_PX = 18;
const MIN_STAGE_PX = 22;

async function runAndWait(page: Page, cells: number) {
  await page.getByRole('button', { name: `Run all ${cells}` }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Done:/ })).toBeVisible({ timeout: 240_000 });
}

async function setPresentationMode(page: Page, on: boolean) {
  const toggle = page.getByRole('button', { name: 'Presentation mode' });
  if ((await toggle.getAttribute('aria-pressed')) !== String(on)) await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-presentation', String(on));
}

/** Every state a speaker shows, at both sizes, measured and photographed. */
async function checkAllViews(page: Page, name: string) {
  const main = page.getByRole('main');
  for (const size of SIZES) {
    const tag = `${size.width}x${size.height}`;
    await page.setViewportSize(size);
    await setPresentationMode(page, false);
    await expect(async () => void (await expectLegibleCharts(main, MIN_PAGE_PX, `${name} page ${tag}`))).toPass({ timeout: 15_000 });
    await screenshot(page, `experiments-${name}-${tag}`);

    await setPresentationMode(page, true);
    await expect(async () => void (await expectLegibleCharts(main, MIN_PRESENTATION_PX, `${name} presentation mode ${tag}`))).toPass({ timeout: 15_000 });
    await screenshot(page, `experiments-${name}-presentation-${tag}`);

    for (const presentation of [true, false]) {
      await setPresentationMode(page, presentation);
      await page.getByRole('button', { name: 'Present charts' }).click();
      const stage = page.getByTestId('stage');
      // The stage reopens on the slide it was left at: Home goes back to the first.
      await page.keyboard.press('Home');
      const counter = await stage.getByText(/^1 \/ \d+$/).textContent();
      const slides = Number(counter!.split('/')[1]);
      for (let i = 0; i < slides; i++) {
        await expect(stage.getByText(`${i + 1} / ${slides}`)).toBeVisible();
        const where = `${name} stage slide ${i + 1}${presentation ? ' (presentation mode)' : ''} ${tag}`;
        await expect(async () => {
          const [chart] = await expectLegibleCharts(stage, MIN_STAGE_PX, where);
          // The chart fills the stage: most of its width, and at least 40% of its height.
          expect(chart.width, `${where}: chart width`).toBeGreaterThanOrEqual(size.width * 0.8);
          expect(chart.height, `${where}: chart height`).toBeGreaterThanOrEqual(size.height * 0.4);
        }).toPass({ timeout: 15_000 });
        // Nothing on the stage needs scrolling: the slide fits the screen.
        expect(await stage.evaluate((e) => e.scrollHeight - e.clientHeight), `${where}: stage overflow`).toBeLessThanOrEqual(1);
        // The stage is what the audience sees: the viewport, not the page scrolled behind it.
        await page.screenshot({ path: `test-results/screenshots/stage-${name}-${i + 1}${presentation ? '-presentation' : ''}-${tag}.png` });
        await page.keyboard.press('ArrowRight');
      }
      await page.keyboard.press('Escape');
      await expect(stage).toBeHidden();
    }
  }
  await setPresentationMode(page, false);
}

const cases: [string, () => ExperimentSpec, number][] = [
  ['saturation', () => reducedSpec(saturationPreset()), 3],
  // More adjacent probes, so the curves end in the longest skill names (REVUP, FACTADD), several at the same score;
  // evals at steps 0 and 6 only, to keep the runs short on a loaded machine.
  ['cliff', () => ({ ...reducedSpec(cliffPreset()), evalEvery: 6, adjacent: ['TICK', 'REVUP', 'FACTADD'] }), 2],
];

for (const [name, spec, cells] of cases) {
  test(`${name} charts are legible on the page, in presentation mode and on stage at 1280×720 and 1920×1080`, async ({ page }) => {
    test.setTimeout(480_000);
    await page.goto(`/?${specToQuery(spec())}#/experiments`);
    await runAndWait(page, cells);
    await checkAllViews(page, name);
  });
}
