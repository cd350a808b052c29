// Comlink transfer handler so thrown errors cross the worker boundary by name and come back as the same class.
import * as Comlink from 'comlink';
import { deserializeError, serializeError, type SerializedError } from '../src/engine/errors';

type ThrownValue = { value: unknown };

/** Install on both sides (worker and UI) before any call. */
export function installErrorTransfer(): void {
  Comlink.transferHandlers.set('throw', {
    canHandle: (value: unknown): value is ThrownValue => typeof value === 'object' && value !== null && 'value' in value,
    serialize: ({ value }: ThrownValue) => [{ isError: true, value: serializeError(value) }, []],
    deserialize: (serialized: { value: SerializedError }) => {
      throw deserializeError(serialized.value);
    },
  } as Comlink.TransferHandler<ThrownValue, { value: SerializedError }>);
}
