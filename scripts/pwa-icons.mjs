// Renders the app icons (public/icons/*.png) from their SVG sources with the e2e Chromium; run once after changing an SVG.
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve(import.meta.dirname, '../public/icons');
const renders = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512 },
  { svg: 'icon-maskable.svg', png: 'icon-maskable-512.png', size: 512 },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
const page = await browser.newPage();
for (const { svg, png, size } of renders) {
  await page.setViewportSize({ width: size, height: size });
  const source = readFileSync(resolve(dir, svg), 'utf8').replace('<svg ', `<svg width="${size}" height="${size}" `);
  await page.setContent(`<html><body style="margin:0;background:transparent">${source}</body></html>`);
  await page.screenshot({ path: resolve(dir, png), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  console.log(`wrote public/icons/${png}`);
}
await browser.close();
