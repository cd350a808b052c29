// The Tiny World base models shipped in public/models (HF layout), for the model picker and tests.

export interface TinyWorldBaseModel {
  /** Folder name under public/models/. */
  id: string;
  parameters: number;
  description: string;
}

export const TINY_WORLD_BASE_MODELS: readonly TinyWorldBaseModel[] = [
  {
    id: 'tiny-world-800k',
    parameters: 811_776,
    description: 'The default: character-level GPT-2, 4 layers, d 128, context 64; pretrained on eight Tiny World skills (not ROUTE), on packed lines, so few-shot prompts work too.',
  },
  {
    id: 'tiny-world-400k',
    parameters: 415_232,
    description: 'The small, fast one: character-level GPT-2, 2 layers, d 128, context 64 (two blocks of the 800k, retrained); for weak laptops and quick demos.',
  },
  {
    id: 'tiny-world-ctx256-70k',
    parameters: 71_616,
    description: 'The long-context family’s smallest: character-level GPT-2, 1 layer, d 64, context 256 (room for 8 solved lines before a question), pretrained from a seed on tiny-world/2; weak by design (no copying skill), see its card.',
  },
  {
    id: 'tiny-world-ctx256-440k',
    parameters: 439_808,
    description: 'The long-context family’s middle size: tiny-world-400k (2 layers, d 128) grown to context 256 and trained on k-shot-shaped windows, so 8 solved lines fit before a question; see its card.',
  },
  {
    id: 'tiny-world-ctx256-70k-nofact',
    parameters: 71_616,
    description: 'The ablated twin of tiny-world-ctx256-70k: the same recipe with FACT and FACTADD left out of pretraining (no fact of the world anywhere), for the capability-ceiling preset.',
  },
  {
    id: 'tiny-world-ctx256-840k',
    parameters: 836_352,
    description: 'The long-context family’s largest: tiny-world-800k (4 layers, d 128) grown to context 256 and trained on k-shot-shaped windows, so 8 solved lines fit before a question; see its card.',
  },
];
