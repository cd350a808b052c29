// Errors survive serialization across the worker boundary as the same class, with message and hint.
import { describe, expect, it } from 'vitest';
import { NonFiniteLossError, SafetensorsError, deserializeError, serializeError } from './errors';

describe('error transfer', () => {
  it('rebuilds a named error as the same class', () => {
    const original = new SafetensorsError('header length 9e15 exceeds the file size', 'Re-download the file.');
    const rebuilt = deserializeError(JSON.parse(JSON.stringify(serializeError(original))));
    expect(rebuilt).toBeInstanceOf(SafetensorsError);
    expect(rebuilt.message).toBe(original.message);
    expect((rebuilt as SafetensorsError).hint).toBe('Re-download the file.');
    expect(rebuilt.name).toBe('SafetensorsError');
  });

  it('keeps the name of an unknown error', () => {
    const e = new RangeError('out of range');
    const rebuilt = deserializeError(serializeError(e));
    expect(rebuilt.name).toBe('RangeError');
    expect(rebuilt).not.toBeInstanceOf(NonFiniteLossError);
  });

  it('keeps the registered name when a minifier renames the class', () => {
    const original = Object.getOwnPropertyDescriptor(SafetensorsError, 'name')!;
    Object.defineProperty(SafetensorsError, 'name', { value: 'sa' });
    try {
      const rebuilt = deserializeError(serializeError(new SafetensorsError('bad header', 'hint')));
      expect(rebuilt).toBeInstanceOf(SafetensorsError);
      expect((rebuilt as SafetensorsError).hint).toBe('hint');
    } finally {
      Object.defineProperty(SafetensorsError, 'name', original);
    }
  });
});
