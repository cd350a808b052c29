// Job: generate and save the example dataset (seeded reversal task) so a newcomer can train without a file.
import type { DatasetSummary } from '../../src/contract';
import { reversalRecords } from '../helpers/example-dataset';
import { storeDataset } from './parse-dataset';

export async function exampleDatasetJob(count: number, seed: number): Promise<DatasetSummary> {
  const records = reversalRecords(count, seed);
  return storeDataset(`Example: reverse a word (${count} rows, seed ${seed})`, 'example', 'generated', records, seed);
}
