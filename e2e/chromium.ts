// How we launch Debian's Chromium with WebGPU on machines without a GPU (flags in scripts/chromium-flags.mjs, adapters in docs/bench.md).
import type { LaunchOptions } from '@playwright/test';
import { chromiumArgs } from '../scripts/chromium-flags.mjs';

/** TUNELAB_ADAPTER=swiftshader picks SwiftShader (core); the default, lavapipe, is several times faster here. */
export function chromiumLaunchOptions(): LaunchOptions {
  return {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs(process.env.TUNELAB_ADAPTER ?? 'lavapipe'),
  };
}
