// The character vocabulary of the Tiny World base models (after the tokenizer's special tokens <pad>, <eos>, <unk>).

/** Every character any skill can produce, in a fixed order; ids follow the specials in this order. */
export const WORLD_CHARS: readonly string[] = [
  '\n',
  ' ',
  ...'abcdefghijklmnopqrstuvwxyz',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...'0123456789',
  ...'=+-:,.?!\'"()/',
];
