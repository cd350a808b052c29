// The long-context family's largest base, tiny-world-ctx256-840k (the shipped 800k grown to context 256), loads through the app's own loader and reproduces its PyTorch card (card and tokenizer always; our engine against PyTorch's answers with TUNELAB_SLOW_CHECKS=1).

import { describeShippedBase } from './testing/tiny-world-base';

const slow = process.env.TUNELAB_SLOW_CHECKS === '1';
describeShippedBase('tiny-world-ctx256-840k', {
  // Reported set: 360 updates at ctx 256 left it under the 800k's scores (see its card).
  gaps: ['ADD', 'UP', 'TICK'],
  fewShotGaps: ['ADD', 'SORT', 'UP', 'FACT'],
  fewShotK: 8,
  // The engine check on the card's 25 + 10 items per skill takes 22 s on the wasm backend (200-character prompts; it passed
  // on 2026-12-07), over CI's per-file budget: it runs with TUNELAB_SLOW_CHECKS=1 (the 70k pair checks the same context-256 path by default).
  sample: { zeroShot: 25, fewShot: 10 },
  engineCheck: slow,
});
