// The shipped default base, tiny-world-800k, loads through the app's own loader and reproduces its PyTorch card; and the base registry lists every shipped folder.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { TINY_WORLD_BASE_MODELS } from '../world';
import { describeShippedBase, MODELS_DIR, shippedBases, type TrainingRecord } from './testing/tiny-world-base';

test('at least two base model sizes are shipped, each registered with its parameter count', () => {
  const models = shippedBases();
  expect(models.length).toBeGreaterThanOrEqual(2);
  expect(TINY_WORLD_BASE_MODELS.map((m) => m.id).sort()).toEqual([...models].sort());
  for (const m of TINY_WORLD_BASE_MODELS) {
    const record = JSON.parse(readFileSync(resolve(MODELS_DIR, m.id, 'training.json'), 'utf8')) as TrainingRecord;
    expect(m.parameters, m.id).toBe(record.parameters);
  }
});

// The teacher-forced check runs on the default base only, to keep CI's time (teacher-forced-trained.test.ts checks it on a half-trained model too).
describeShippedBase('tiny-world-800k', { gaps: [], fewShotGaps: ['ADD'], teacherForced: true });
