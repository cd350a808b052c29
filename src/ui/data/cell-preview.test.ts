// Preview cells are cut to a few hundred characters with an ellipsis and the full length, never inside a surrogate pair.
import { describe, expect, it } from 'vitest';
import { PREVIEW_CHARS, previewCell } from './cell-preview';

describe('previewCell', () => {
  it('shows a short text whole', () => {
    expect(previewCell('hello')).toEqual({ shown: 'hello', cut: false, length: 5 });
    expect(previewCell('x'.repeat(PREVIEW_CHARS)).cut).toBe(false);
  });

  it('cuts a 5 MB cell to its first characters with an ellipsis and says how long it was', () => {
    const cell = previewCell('a'.repeat(5_000_000));
    expect(cell.cut).toBe(true);
    expect(cell.shown).toBe(`${'a'.repeat(PREVIEW_CHARS)}…`);
    expect(cell.length).toBe(5_000_000);
  });

  it('counts and cuts by code points, never splitting an astral character', () => {
    const cell = previewCell('😀'.repeat(10), 3);
    expect(cell).toEqual({ shown: '😀😀😀…', cut: true, length: 10 });
  });
});
