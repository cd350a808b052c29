// Turns any error into what the UI shows: a message and, for TuneLab's own errors, what to do.
import { TuneLabError } from '../engine/errors';

export interface ShownError {
  name: string;
  message: string;
  hint: string;
}

export function toShownError(error: unknown): ShownError {
  if (error instanceof TuneLabError) return { name: error.name, message: error.message, hint: error.hint };
  if (error instanceof Error) return { name: error.name, message: error.message, hint: '' };
  return { name: 'Error', message: String(error), hint: '' };
}
