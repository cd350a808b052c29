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
    id: 'judge-drift',
    label: 'Judge drift',
    shows:
      'A judge with a measured bias (the base fine-tuned to send billing tickets to “refund”, judging which answer it finds likelier) picks the best and worst of the student’s sampled answers each round, and DPO trains on its picks; beside it the same loop with gold preferences from the exact answer.',
    read: 'Read each arm over rounds: the judge’s win rate of the student over the base (its opinion) against exact match on held-out tickets (the truth). Where the judge’s line climbs and the truth does not, the student is learning the judge, not the task.',
    explain: {
      text:
        'Half of today’s fine-tuning pipelines let one model grade another’s outputs (RLAIF, synthetic preference pairs). A judge is a measured instrument, not an oracle: whatever it systematically gets wrong, a student optimised on its preferences learns as if it were right, while the judge’s own score of the student keeps rising. Here the judge’s bias is built in and measured (its own exact match on the billing tickets is shown), so its effect on the student can be read against the ground truth that the gold control tracks.',
      source: 'Bai et al. 2022, “Constitutional AI: Harmlessness from AI Feedback”',
      href: 'https://arxiv.org/abs/2212.08073',
    },
  },
];
