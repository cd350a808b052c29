// Each preset in two sentences for a newcomer: what it shows, and how to read its charts.
import type { PresetId } from '../../engine/experiments/types';

export interface PresetInfo {
  id: PresetId;
  label: string;
  shows: string;
  read: string;
  /** The effect explained for a learner, with the paper it comes from (shown above the charts). */
  explain?: { text: string; source: string; href: string };
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
  {
    id: 'leakage',
    label: 'Leakage',
    shows:
      'Hides made-up secrets (“my account pin is 4821”) in Tiny World training data, each 1, 2, 4, 8 or 16 times, and fine-tunes with LoRA and with full fine-tuning; at every epoch it ranks each secret among all 10,000 four-digit pins and attacks membership.',
    read: 'Exposure in bits: 0–2 is chance (the never-inserted controls), 13.3 means the model ranks the true pin first of 10,000. The AUC chart shows whether an attacker can tell training lines from unseen ones (0.5 = guessing).',
    explain: {
      text:
        'A model that sees a rare record during training can memorise it: the secret becomes more likely to the model than any other value the slot could hold, and greedy decoding from the prefix may print it. Exposure counts how far up the ranking the true secret climbed, in bits (log2 of all candidates minus log2 of its rank); it grows with how often the record was seen. Membership inference asks the milder question whether a given line was in the training data at all, from its loss (lower on lines the model trained on), or from how much fine-tuning lowered it. This preset uses 4-digit secrets (10^4 candidates), so every candidate is ranked exactly and the whole preset runs in minutes; the Evaluate page’s privacy report ranks larger spaces.',
      source: 'Carlini et al. 2019, “The Secret Sharer”',
      href: 'https://arxiv.org/abs/1802.08232',
    },
  },
  {
    id: 'distill',
    label: 'Distillation inherits errors',
    shows:
      'Fine-tunes LoRA students on ROUTE answers written by teachers of known accuracy: the gold answers, and the same answers with 20% or 40% of them wrong (one desk always taken for the next).',
    read: 'Read the student against the gold teacher’s student and against its own teacher; the second chart shows how often, where the teacher erred, the student gave the very same wrong answer, beside how often it gives that answer where the teacher was right (chance).',
    explain: {
      text:
        'Distillation trains a small student on a bigger teacher’s outputs instead of human labels. The student learns whatever the teacher wrote, mistakes included: it cannot tell a wrong answer from a right one. Here the teacher is controlled exactly: the gold answers with a fixed share corrupted item by item, always in the same direction, so the student’s copies of those errors on held-out items can be counted and set against chance.',
      source: 'Kim & Rush 2016, “Sequence-Level Knowledge Distillation”',
      href: 'https://arxiv.org/abs/1606.07947',
    },
  },
];
