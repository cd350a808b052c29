// Shared e2e steps: open a page of the app, create the example dataset, save a screenshot for humans to look at.
import { expect, test, type Page } from './fixtures';

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

export interface TrainSettings {
  steps: number;
  checkpointEvery: number;
  learningRate?: string;
}

/** Picks the fast seed-initialised Nano GPT-2 (d 32, 2 layers) instead of the default Tiny World 800k base. */
export async function useTinyModel(page: Page): Promise<void> {
  await openPage(page, 'Models');
  await page.getByRole('radio', { name: /^Nano GPT-2/ }).check();
  await expect(page.getByTestId('current-model')).toContainText('Nano GPT-2');
}

/** The Train form's fields a spec sets; a field left out keeps what the form holds. */
export interface RunForm {
  steps: number;
  batchSize?: number;
  learningRate?: string;
  warmupSteps?: number;
  checkpointEvery?: number;
  validateEvery?: number;
  /** Tiny World bases only (the field shows for them): skill probe items per skill, 0 = off. */
  probeItems?: number;
}

/** Fills the given fields of the Train form (on the Train page) and presses Start new run. */
export async function startRun(page: Page, form: RunForm): Promise<void> {
  await page.getByRole('spinbutton', { name: 'Steps', exact: true }).fill(String(form.steps));
  const fields: [string, string | number | undefined][] = [
    ['Batch size', form.batchSize],
    ['Learning rate', form.learningRate],
    ['Warmup steps', form.warmupSteps],
    ['Checkpoint every (steps)', form.checkpointEvery],
    ['Validate every (steps)', form.validateEvery],
    ['Skill probe items per skill (0 = off)', form.probeItems],
  ];
  for (const [name, value] of fields) if (value !== undefined) await page.getByRole('spinbutton', { name, exact: true }).fill(String(value));
  await page.getByRole('button', { name: 'Start new run' }).click();
}

/** Generates a Tiny World dataset of one skill on the Data page and waits until it is the current one. */
export async function generateWorldDataset(page: Page, skill: string, rows: number): Promise<void> {
  await openPage(page, 'Data');
  await page.getByLabel('Tiny World skill').selectOption(skill);
  await page.getByLabel('Rows', { exact: true }).fill(String(rows));
  await page.getByRole('button', { name: 'Generate Tiny World dataset' }).click();
  await expect(page.getByTestId('dataset-rows')).toHaveText(String(rows));
}

/** The e2e model: the smallest preset (d 32, 2 layers, context 32), full fine-tuning, batch 4 — ~1 s/step on a software adapter. */
export async function startTinyRun(page: Page, { steps, checkpointEvery, learningRate = '0.01' }: TrainSettings): Promise<void> {
  await useTinyModel(page);
  await openPage(page, 'Train');
  await page.getByLabel('Full fine-tuning').check();
  await startRun(page, { steps, batchSize: 4, learningRate, warmupSteps: 0, checkpointEvery, validateEvery: 10 });
  // A short run can finish before the first look: only a run that cannot finish first (many steps) may expect 'running'.
  await expect(page.getByTestId('run-status')).toHaveText(/^(running|completed|diverged)$/);
}

/** A run far longer than any test waits for, so that "while it trains" holds by construction; the test cancels it. */
export const UNFINISHABLE_STEPS = 100_000;

export async function cancelRun(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
}

export async function currentStep(page: Page): Promise<number> {
  const text = (await page.getByTestId('run-step').textContent()) ?? '';
  return Number(text.split('/')[0].trim());
}

/**
 * TUNELAB_E2E_BACKEND=wasm runs the training tests on WebAssembly (set as the user's choice before the app loads);
 * the default is the app's automatic choice, WebGPU here.
 */
export function useBackendFromEnv(): void {
  const backend = process.env.TUNELAB_E2E_BACKEND;
  if (!backend) return;
  test.beforeEach(async ({ page }) => {
    await page.addInitScript((b) => localStorage.setItem('tunelab.backend', b), backend);
  });
}

export function expectedBackend(): string {
  return { wasm: 'WebAssembly', cpu: 'CPU' }[process.env.TUNELAB_E2E_BACKEND ?? ''] ?? 'WebGPU';
}
