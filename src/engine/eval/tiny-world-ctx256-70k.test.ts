// The long-context family's smallest base, tiny-world-ctx256-70k (1 layer, context 256), and its ablated twin
// tiny-world-ctx256-70k-nofact (FACT and FACTADD never pretrained) load through the app's own loader and reproduce their
// PyTorch cards on a small sample (TUNELAB_SLOW_CHECKS=1: the cards' full samples).

import { describeShippedBase } from './testing/tiny-world-base';

const slow = process.env.TUNELAB_SLOW_CHECKS === '1';
// Weak by design (the bottom of the family: 1 layer learns no copying skill), so every single-step skill is under the bar.
const all = ['ADD', 'REV', 'SORT', 'UP', 'FACT', 'TICK'] as const;
for (const name of ['tiny-world-ctx256-70k', 'tiny-world-ctx256-70k-nofact']) {
  describeShippedBase(name, {
    gaps: [...all],
    fewShotGaps: [...all],
    fewShotK: 8,
    sample: slow ? { zeroShot: 25, fewShot: 10 } : { zeroShot: 3, fewShot: 1 },
  });
}
