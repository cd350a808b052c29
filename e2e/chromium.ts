// How we launch Debian's Chromium with WebGPU on machines without a GPU (see shared WEBGPU.md).
import type { LaunchOptions } from '@playwright/test';

const baseFlags = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** TUNELAB_ADAPTER=swiftshader picks SwiftShader (core); the default, lavapipe, is several times faster here. */
export function chromiumLaunchOptions(): LaunchOptions {
  const adapter = process.env.TUNELAB_ADAPTER ?? 'lavapipe';
  const extra =
    adapter === 'swiftshader'
      ? ['--enable-features=Vulkan']
      : adapter === 'gpu'
        ? ['--enable-features=Vulkan', '--use-angle=vulkan']
        : ['--enable-features=Vulkan', '--use-gl=angle', '--use-angle=vulkan', '--use-webgpu-adapter=opengles'];
  return {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...baseFlags, ...extra],
  };
}
