// A loaded model's count of a dataset's long rows in its own tokens, asked of the worker whenever the dataset or model changes.
import type { LongRowCount } from '../../engine/data/long-rows';
import type { DatasetRecord, TinyModelSpec } from '../../contract';
import { gpuWorker } from '../worker-client';

/** Construct during a component's set-up (it runs an $effect). `count` stays null until counted, or where it cannot be. */
export class TokenLongRows {
  count = $state.raw<LongRowCount | null>(null);

  constructor(current: () => { dataset: Pick<DatasetRecord, 'id'> | null; model: TinyModelSpec }) {
    $effect(() => {
      const { dataset, model } = current();
      this.count = null;
      if (!dataset || model.kind !== 'loaded' || !model.weightsSha256) return;
      let live = true;
      // A model not loaded now (after a reload, before "Load again") answers null: the character count stays, and says so.
      gpuWorker()
        .longRowsInTokens(dataset.id, model.weightsSha256, model.n_positions)
        .then(
          (count) => {
            if (live) this.count = count;
          },
          () => undefined,
        );
      return () => {
        live = false;
      };
    });
  }
}
