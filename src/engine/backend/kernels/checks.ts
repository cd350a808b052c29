// Every fused-kernel check, run on whatever backend is current (WebGPU in Chromium or in Node on Dawn).
import { attentionChecks } from './attention/attention-check';
import { activationChecks } from './activations/activation-check';
import { crossEntropyChecks } from './cross-entropy/cross-entropy-check';
import { normChecks } from './norm/norm-check';
import type { KernelCheck } from './check-util';

export type { KernelCheck } from './check-util';

/** Kernel families by name, so a page or test can run one of them. */
export const kernelCheckSuites: Record<string, () => Promise<KernelCheck[]>> = {
  attention: attentionChecks,
  crossEntropy: crossEntropyChecks,
  norm: normChecks,
  activations: activationChecks,
};

export async function runKernelChecks(only?: string[]): Promise<KernelCheck[]> {
  const out: KernelCheck[] = [];
  for (const [name, suite] of Object.entries(kernelCheckSuites)) if (!only || only.includes(name)) out.push(...(await suite()));
  return out;
}
