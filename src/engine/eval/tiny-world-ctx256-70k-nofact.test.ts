// The ablated twin tiny-world-ctx256-70k-nofact (FACT and FACTADD never pretrained) loads through the app's own loader and reproduces its PyTorch card on a small sample (TUNELAB_SLOW_CHECKS=1: the card's full sample).

import { describeShippedBase } from './testing/tiny-world-base';

const slow = process.env.TUNELAB_SLOW_CHECKS === '1';
// Weak by design like its full twin (1 layer), and FACT is absent from its pretraining.
const all = ['ADD', 'REV', 'SORT', 'UP', 'FACT', 'TICK'] as const;
describeShippedBase('tiny-world-ctx256-70k-nofact', {
  gaps: [...all],
  fewShotGaps: [...all],
  fewShotK: 8,
  sample: slow ? { zeroShot: 25, fewShot: 10 } : { zeroShot: 3, fewShot: 1 },
});
