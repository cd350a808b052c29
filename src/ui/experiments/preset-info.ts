// Each preset in two sentences for a newcomer: what it shows, and how to read its charts.
import type { PresetId } from '../../engine/experiments/types';

export interface PresetInfo {
  id: PresetId;
  label: string;
  shows: string;
  read: string;
}

export const PRESET_INFO: PresetInfo[] = [
  {
    id: 'saturation',
    label: 'Saturation',
    shows:
      'Teaches the base a skill it never saw (ROUTE: send a support ticket to the right desk) from 50 up to 800 clean examples, and once from 400 clean plus 400 from a worse pool.',
    read: 'Read the line left to right: where it flattens, more data stops paying off; the lone “added” point, next to 800 clean, shows whether the worse examples helped or hurt.',
  },
  {
    id: 'cliff',
    label: 'Generalization cliff',
    shows:
      'Fine-tunes the base narrowly on ROUTE and scores six skills it already had every 25 steps, with LoRA rank 4, rank 16 and full fine-tuning.',
    read: 'Read the curves over steps: ROUTE rising while the other skills fall is the cliff; the “Learns vs forgets” chart places each setting by what it gained against what it cost.',
  },
];
