// The error base class and the backend's own errors; the backend knows no other engine module, so these live here and engine/errors.ts re-exports them.

/** Class → its registered name; minified builds rename classes, so `new.target.name` cannot be trusted across the worker boundary. */
const registeredNames = new Map<abstract new (...args: never[]) => Error, string>();

/** Records the name each class is rebuilt under on the far side of the worker boundary (engine/errors.ts registers them all). */
export function registerErrorName(errorClass: abstract new (...args: never[]) => Error, name: string): void {
  registeredNames.set(errorClass, name);
}

/** Base class: every error the engine raises on purpose says what happened and what the user can do. */
export class TuneLabError extends Error {
  /** What the user can do about it, shown under the message. */
  readonly hint: string;
  constructor(message: string, hint = '') {
    super(message);
    this.name = registeredNames.get(new.target) ?? new.target.name;
    this.hint = hint;
  }
}

export class WebGPUUnavailableError extends TuneLabError {}
export class BackendInitError extends TuneLabError {}
export class DeviceLostError extends TuneLabError {}
