// Job: generate a Tiny World dataset for one skill (seeded, exact) and save it like any imported dataset.
import type { PromptCompletionRecord } from '../../src/engine/data/record';
import { generateWorldDataset, type SkillName } from '../../src/engine/world/index';
import type { DatasetSummary } from '../../src/contract';
import { storeDataset } from './parse-dataset';

/** Draws `size` distinct items without replacement: a size beyond the skill's pool is refused (ItemPoolError, shown on the page). */
export async function worldDatasetJob(skill: SkillName, size: number, seed: number): Promise<DatasetSummary> {
  const { examples, manifest } = generateWorldDataset({ mix: { [skill]: 1 }, size, split: 'train', seed });
  const records = examples.map(
    (e, i): PromptCompletionRecord => ({ kind: 'prompt-completion', line: i + 1, prompt: e.prompt, completion: e.completion, cohort: e.cohort, tags: e.tags }),
  );
  return storeDataset(`Tiny World ${skill} (${size} rows, ${manifest.counts.distinct} distinct, seed ${seed})`, 'example', 'generated', records, seed);
}
