// Turns the browser's quota failures into StorageQuotaError, which the UI shows with what to do.
import { StorageQuotaError } from '../engine/errors';

export function isQuotaError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const name = (error as { name?: string }).name;
  const inner = (error as { inner?: unknown; target?: { error?: unknown } }).target?.error;
  return name === 'QuotaExceededError' || (inner !== undefined && isQuotaError(inner));
}

/** Runs a storage write; a quota failure becomes StorageQuotaError (the transaction it happened in has rolled back). */
export async function guardQuota<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isQuotaError(error)) {
      throw new StorageQuotaError(
        `Not enough browser storage to save ${what}; nothing was saved.`,
        'Free space on the Storage page (delete old runs, checkpoints or datasets) and try again.',
      );
    }
    throw error;
  }
}
