// Vitest file order for CI: the few files that take a minute or more start first, then Vitest's own order.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * On a clean clone Vitest has no timings, so it starts larger files first, and the slowest files are short ones (a
 * shipped base re-run against PyTorch: 110–133 s in 20 lines), which then ran last and alone on CI's two cores.
 * Measured in the clean-clone runs of 2026-12-07 (seconds of test time on CI's two cores, most first).
 */
const SLOW_FIRST = [
  'src/engine/train/memory-webgpu.test.ts', // 71–85
  'src/engine/privacy/exposure-webgpu.test.ts', // 28–30
  'src/diagnostics/bench/dispatch-profile.test.ts', // 25–27
  'src/engine/models/head-loss-webgpu.test.ts', // 23–27
  'src/engine/hub/gemma3-load.test.ts', // 16
  'scripts/pretrain/export-corpus.test.ts', // 14–21
  'src/engine/eval/tiny-world-800k.test.ts', // 110–133 on the plain-JS cpu backend, ~12 on wasm since 2026-12-07 (session 6)
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const i = SLOW_FIRST.findIndex((path) => spec.moduleId.endsWith(path));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
