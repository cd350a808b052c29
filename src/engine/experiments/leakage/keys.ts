// The names a Leakage checkpoint's scores are stored under (one concept: the score keys the series and readings look up).

/** Mean exposure (bits) of the canaries inserted r times. */
export function exposureKey(r: number): string {
  return `exposure ×${r}`;
}

/** Share of the canaries inserted r times that greedy decoding emits verbatim. */
export function extractedKey(r: number): string {
  return `extracted ×${r}`;
}

/** Mean exposure of the never-inserted controls. */
export const CONTROL_KEY = 'exposure control';
export const MIA_LOSS_KEY = 'MIA AUC (loss)';
export const MIA_CALIBRATED_KEY = 'MIA AUC (calibrated)';
