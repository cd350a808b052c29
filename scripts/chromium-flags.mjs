// Chromium launch flags for WebGPU without a GPU (the adapter recipes below; which adapter is which: README and docs/bench.md); one list for the e2e tests and the bench.

const baseFlags = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** Base flags plus the adapter recipe: 'lavapipe' (default, several times faster here), 'swiftshader' or 'gpu'. */
export function chromiumArgs(adapter) {
  const extra =
    adapter === 'swiftshader'
      ? ['--enable-features=Vulkan']
      : adapter === 'gpu'
        ? ['--enable-features=Vulkan', '--use-angle=vulkan']
        : ['--enable-features=Vulkan', '--use-gl=angle', '--use-angle=vulkan', '--use-webgpu-adapter=opengles'];
  return [...baseFlags, ...extra];
}
