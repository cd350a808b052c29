// A preview cell's text: at most a few hundred characters, cut with an ellipsis, with the full length to show beside it.

/** Characters a preview cell shows before it cuts (a 5 MB row would otherwise make the page a million pixels tall). */
export const PREVIEW_CHARS = 300;

export interface PreviewCell {
  /** The text to show: the whole text, or its start followed by "…". */
  shown: string;
  cut: boolean;
  /** Length of the whole text in characters (code points, as the char tokenizer counts them). */
  length: number;
}

function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

export function previewCell(text: string, max = PREVIEW_CHARS): PreviewCell {
  const length = codePoints(text);
  if (length <= max) return { shown: text, cut: false, length };
  // `max` code points, without splitting a surrogate pair.
  let end = 0;
  for (let taken = 0; taken < max; taken++) {
    const code = text.charCodeAt(end);
    end += code >= 0xd800 && code <= 0xdbff && end + 1 < text.length ? 2 : 1;
  }
  return { shown: `${text.slice(0, end)}…`, cut: true, length };
}
