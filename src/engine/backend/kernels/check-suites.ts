// The model-op kernels' checks by family (attention, cross-entropy, norms, activations), run on whatever backend is current: the kernel
// self-test page (Chromium) and fused-kernels.test.ts (Node on Dawn). The training kernels' checks run from the training-kernels self-test.
import { attentionChecks } from './attention/attention-check';
import { activationChecks } from './activations/activation-check';
import { crossEntropyChecks } from './cross-entropy/cross-entropy-check';
import { normChecks } from './norm/norm-check';
import { topkChecks } from './topk/topk-check';
import type { KernelCheck } from './check-harness';

export type { KernelCheck } from './check-harness';

/** Kernel families by name, so a page or test can run one of them. */
export const kernelCheckSuites: Record<string, () => Promise<KernelCheck[]>> = {
  attention: attentionChecks,
  crossEntropy: crossEntropyChecks,
  norm: normChecks,
  activations: activationChecks,
  topk: topkChecks,
};

export async function runKernelChecks(only?: string[]): Promise<KernelCheck[]> {
  const out: KernelCheck[] = [];
  for (const [name, suite] of Object.entries(kernelCheckSuites)) if (!only || only.includes(name)) out.push(...(await suite()));
  return out;
}
