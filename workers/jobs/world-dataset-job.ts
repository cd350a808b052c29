// Job: generate a Tiny World dataset for one skill (seeded, exact) and save it like any imported dataset.
import type { PromptCompletionRecord } from '../../src/engine/data/record';
import { generateWorldDataset, type SkillName } from '../../src/engine/world/index';
import type { DatasetSummary } from '../../src/contract';
import { storeDataset } from './parse-dataset';

export async function worldDatasetJob(skill: SkillName, size: number, seed: number): Promise<DatasetSummary> {
  const { examples } = generateWorldDataset({ mix: { [skill]: 1 }, size, split: 'train', seed });
  const records = examples.map(
    (e, i): PromptCompletionRecord => ({ kind: 'prompt-completion', line: i + 1, prompt: e.prompt, completion: e.completion, cohort: e.cohort, tags: e.tags }),
  );
  return storeDataset(`Tiny World ${skill} (${size} rows, seed ${seed})`, 'example', 'generated', records, seed);
}
