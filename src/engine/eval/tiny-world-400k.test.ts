// The shipped small base, tiny-world-400k, loads through the app's own loader and reproduces its PyTorch card (a file of its own so CI's two workers share the two bases).

import { describeShippedBase } from './testing/tiny-world-base';

describeShippedBase('tiny-world-400k', { gaps: [], fewShotGaps: [] });
