// Embeddings larger than the GPU's largest buffer are split into row chunks: forced here with a small limit on tiny
// Hub-layout models in the real app on WebGPU, the split model's logits equal the unsplit one's; a weight that cannot be split is refused.
import { expect, test, type Page } from './fixtures';
import { startHubServer, type HubServer } from './hub-server';
import { openPage, screenshot } from './helpers';

type Debug = { bufferLimit(bytes: number | null): Promise<void>; logits(text: string): Promise<Float32Array> };

let server: HubServer;
test.beforeAll(async () => {
  server = await startHubServer();
});
test.afterAll(async () => {
  await server.close();
});

async function load(page: Page, repo: string): Promise<void> {
  await page.getByLabel('Repository').fill(repo);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Load', exact: true })).toBeEnabled({ timeout: 60_000 });
}

const logits = (page: Page) => page.evaluate(async () => [...(await (window as unknown as { tunelabDebug: Debug }).tunelabDebug.logits('hi the cat'))]);
const setLimit = (page: Page, bytes: number | null) => page.evaluate((b) => (window as unknown as { tunelabDebug: Debug }).tunelabDebug.bufferLimit(b), bytes);

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i])));
}

test('tiny-qwen2 and tiny-gpt2 with a forced small buffer limit: tables split into chunks, same logits; an unsplittable weight is refused', async ({ page }) => {
  await page.goto(`${server.origin}/`);
  await openPage(page, 'Models');
  await page.getByText('Advanced').click();
  await page.getByLabel('Endpoint (a mirror)').fill(`${server.origin}/hub`);

  for (const { repo, limit, tables } of [
    // 267 × 16 float32 = 16.7 KB per table; 2 KB holds the largest other weight (gate_proj [24, 16]) and 32 rows.
    { repo: 'tunelab-test/tiny-qwen2', limit: 2048, tables: ['model.embed_tokens.weight', 'lm_head.weight'] },
    // GPT-2's tied wte serves both the lookup and the output projection; 4 KB holds c_fc [16, 64] and 64 rows.
    { repo: 'tunelab-test/tiny-gpt2', limit: 4096, tables: ['transformer.wte.weight'] },
  ]) {
    await setLimit(page, null);
    await load(page, repo);
    await expect(page.getByTestId('loaded-model')).toContainText(repo);
    await expect(page.getByTestId('split-table')).toHaveCount(0);
    const whole = await logits(page);

    await setLimit(page, limit);
    await load(page, repo);
    const rows = page.getByTestId('split-table');
    await expect(rows).toHaveCount(tables.length);
    const chunks = Math.ceil(267 / Math.floor(limit / 64));
    for (const [i, name] of tables.entries()) await expect(rows.nth(i)).toContainText(`${name} [267 × 16] is 17 KB, over this GPU's largest buffer (${limit / 1024}.0 KB): kept as ${chunks} row chunks`);
    const split = await logits(page);
    const scale = Math.max(...whole.map(Math.abs));
    console.log(`split-embedding e2e ${repo}: ${whole.length} logits, first ${whole.slice(0, 3)}; ${chunks} chunks, max |Δlogit| ${maxAbsDiff(split, whole)} (scale ${scale})`);
    expect(maxAbsDiff(split, whole)).toBeLessThanOrEqual(1e-5 * scale);
    if (repo.endsWith('qwen2')) await screenshot(page, 'split-embedding');
  }

  await setLimit(page, 1024);
  await load(page, 'tunelab-test/tiny-qwen2');
  await expect(page.getByRole('alert')).toContainText('The weight model.layers.0.mlp.gate_proj.weight [24, 16] needs 1.5 KiB in one GPU buffer, over this GPU\'s limit of 1.0 KiB');
  await expect(page.getByRole('alert')).toContainText('Only embedding tables can be split by rows');
  await setLimit(page, null);
});
