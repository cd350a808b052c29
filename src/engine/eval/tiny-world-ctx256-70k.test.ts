// The long-context family's smallest base, tiny-world-ctx256-70k (1 layer, context 256), loads through the app's own loader and reproduces its PyTorch card on a small sample (TUNELAB_SLOW_CHECKS=1: the card's full sample).

import { describeShippedBase } from './testing/tiny-world-base';

const slow = process.env.TUNELAB_SLOW_CHECKS === '1';
// Weak by design (the bottom of the family: 1 layer learns no copying skill), so every single-step skill is under the bar.
const all = ['ADD', 'REV', 'SORT', 'UP', 'FACT', 'TICK'] as const;
describeShippedBase('tiny-world-ctx256-70k', {
  gaps: [...all],
  fewShotGaps: [...all],
  fewShotK: 8,
  sample: slow ? { zeroShot: 25, fewShot: 10 } : { zeroShot: 3, fewShot: 1 },
});
