// Rows longer than a loaded model's context counted in its own tokens (as training encodes them), once per dataset and model.
import type { LongRowCount } from '../../src/engine/data/long-rows';
import { countLongRowsBy } from '../../src/engine/data/long-rows';
import { datasetRowChunks, loadDataset } from '../../src/storage/datasets';
import { encodeRecordWithTokenizer } from '../helpers/base-model';
import { loadedModel } from '../helpers/loaded-model';

const counted = new Map<string, Promise<LongRowCount>>();

/**
 * Null when the model with these weights is not the one loaded now (the page then keeps the character count). Every
 * row is encoded whole, chat rows through the model's chat template, with the EOS training appends.
 */
export async function longRowsInTokensJob(datasetId: string, weightsSha256: string, context: number): Promise<LongRowCount | null> {
  const loaded = loadedModel();
  if (!loaded || loaded.checkpoint.identity.weightsSha256 !== weightsSha256) return null;
  const key = `${datasetId}:${weightsSha256}:${context}`;
  let count = counted.get(key);
  if (!count) {
    const { tokenizer } = loaded;
    count = loadDataset(datasetId).then((dataset) => {
      if (!dataset) throw new Error(`No dataset ${datasetId}.`);
      return countLongRowsBy(datasetRowChunks(dataset), (row) => encodeRecordWithTokenizer(row, tokenizer, Infinity).ids.length, context);
    });
    count.catch(() => counted.delete(key));
    counted.set(key, count);
  }
  return count;
}
