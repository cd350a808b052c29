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
      'Teaches the base a skill it never saw (ROUTE: send a support ticket to the right desk) from 50 up to 800 clean examples, and from 400 clean plus 400 from a worse pool: once with wrong labels, once narrower (two of the four desks).',
    read: 'Read the line left to right: where it flattens, more data stops paying off; the two “added” points, next to 800 clean, show whether the worse examples helped or hurt.',
    explain: {
      text:
        'Fine-tuning data has diminishing returns: each doubling of clean examples buys less than the one before, and past some size the score stops rising while the cost keeps growing; worse data (wrong labels) can take back what clean data gave. The chart shows held-out exact match against the number of training examples on a log axis, each point a real fine-tune per seed; the bars are 95% intervals over seeds and eval items, so two points differ only where the reading says the paired difference is resolved. Eval items use ticket phrases no training example had, so the score is generalisation, not recall; the table splits seen- and unseen-phrase items where a run has both.',
      source: 'Hernandez et al. 2021, “Scaling Laws for Transfer”',
      href: 'https://arxiv.org/abs/2102.01293',
    },
  },
  {
    id: 'cliff',
    label: 'Generalization cliff',
    shows:
      'Fine-tunes the base narrowly on ROUTE and scores six skills it already had every 25 steps, with LoRA rank 4, rank 16 and full fine-tuning.',
    read: 'Read the curves over steps: ROUTE rising while the other skills fall is the cliff; the “Learns vs forgets” chart places each setting by what it gained against what it cost.',
    explain: {
      text:
        'Fine-tuning narrowly on one task can erase skills the base model had (catastrophic forgetting): the new skill rises while the old ones fall, often within the first few dozen steps. Biderman et al. found that LoRA learns the new task less well than full fine-tuning and forgets less of the rest. The first chart shows every skill’s held-out exact match over training steps (the target drawn thick); the second places each method by its gain on the target against its loss on the other skills, both paired per seed on the same items. Measured at this preset’s size on Tiny World 800k (5 seeds, docs/results.md): every method lost most of the other skills, and lost them before it learnt ROUTE; LoRA r4 kept 0.10 more of them than full fine-tuning and learnt 0.11 less, in Biderman et al.’s direction but not resolved. Read the reading under each chart for what your runs resolve.',
      source: 'Biderman et al. 2024, “LoRA Learns Less and Forgets Less”',
      href: 'https://arxiv.org/abs/2405.09673',
    },
  },
  {
    id: 'cliff-replay',
    label: 'Cliff with replay',
    shows:
      'The cliff’s narrow ROUTE fine-tune (full fine-tuning) with 0%, 10% and 30% of the training data replayed from the base’s own pretraining skills (never an eval item).',
    read: 'Compare the curves per replay share: replay should hold the old skills up; the “Learns vs forgets” chart shows what it costs on ROUTE.',
    explain: {
      text:
        'The standard fix for forgetting is replay: mix some of the data the base was trained on back into the fine-tuning data, so the old skills keep being practised while the new one is learned. It costs part of every batch, so the target may learn more slowly. One chart per replay share shows every skill over training steps; the trade-off chart places each share by its gain on ROUTE against its loss on the other skills, paired per seed. Replay lines are drawn from the pretraining mixture and never include an eval item.',
      source: 'Biderman et al. 2024, “LoRA Learns Less and Forgets Less”',
      href: 'https://arxiv.org/abs/2405.09673',
    },
  },
  {
    id: 'cohorts',
    label: 'Cohorts',
    shows:
      'Fine-tunes ROUTE on tickets of which 95% are written normally (us) and 5% by a minority cohort whose system writes the ticket’s phrase in CAPITALS; scores both cohorts on the same held-out tickets, then tries cohort-balanced sampling and loss reweighting.',
    read: 'Each group is one kind of run; inside it one dot per cohort and a hollow dot for the overall score a deployment with these shares sees. A gap between the cohorts’ dots is the minority left behind; a warning appears when a change helps overall while a cohort gets worse.',
    explain: {
      text:
        'An average can hide a group it fails: when one cohort is 5% of the training data, the model mostly learns the majority’s way of writing, and the overall score (dominated by the majority) can look fine while the minority’s is far lower. Two standard fixes are balanced sampling (show the minority’s examples as often as the majority’s, by repeating them) and loss reweighting (count each minority example more in the loss); both trade some majority accuracy, and on few minority examples they risk memorising them. The chart shows per-cohort held-out exact match for the base, the data as sampled, and each fix; every item is the same ticket in both forms, so the gap between cohorts is paired item by item. The reading states a gap or a fix’s effect only where its 95% interval excludes zero. Measured at this preset’s size (3 seeds, docs/results.md): as sampled, caps scored 0.31 below us on the same tickets while the overall score stayed within 0.02 of the majority’s; with balanced sampling the gap was no longer resolved, but neither fix’s own gain on caps was resolved with 3 seeds.',
      source: 'Idrissi et al. 2022, “Simple data balancing achieves competitive worst-group-accuracy”',
      href: 'https://arxiv.org/abs/2110.14503',
    },
  },
  {
    id: 'leakage',
    label: 'Leakage',
    shows:
      'Hides made-up secrets, each a different person’s (“ada’s account pin is 4821”), in Tiny World training data, each 1, 2, 4, 8 or 16 times, and fine-tunes with LoRA and with full fine-tuning; at every epoch it ranks each secret among all 10,000 four-digit pins, asks the model to complete “ada’s account pin is” greedily, and attacks membership.',
    read: 'Exposure in bits: 0–2 is chance (the never-inserted controls), 13.3 means the model ranks the true pin first of 10,000. The AUC chart shows whether an attacker can tell training lines from unseen ones (0.5 = guessing).',
    explain: {
      text:
        'A model that sees a rare record during training can memorise it: the secret becomes more likely to the model than any other value the slot could hold, and greedy decoding from the prefix may print it. Exposure counts how far up the ranking the true secret climbed, in bits (log2 of all candidates minus log2 of its rank); it grows with how often the record was seen. Each secret has its own name in front of it, so each can be extracted on its own: with one shared prefix greedy decoding could print only one secret per model. Membership inference asks the milder question whether a given line was in the training data at all, from its loss (lower on lines the model trained on), or from how much fine-tuning lowered it. This preset uses 4-digit secrets (10^4 candidates), so every candidate is ranked exactly and the whole preset runs in minutes; the Evaluate page’s privacy report ranks larger spaces.',
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
  {
    id: 'judge-drift',
    label: 'Judge drift',
    shows:
      'A judge with a measured bias (the base fine-tuned to send billing tickets to “refund”, judging which answer it finds likelier) picks the best of the student’s sampled answers, round after round, and the student is fine-tuned on its picks (DPO: the judge’s pick over each other sample, the reference being the student the round starts from; best-of-n is an option); the student starts supervised-tuned on gold tickets (round 0); beside it the same loop with gold preferences from the exact answer.',
    read: 'Read each arm over rounds: the judge’s win rate of the student over the round-0 student on the same held-out tickets (its opinion) against exact match on held-out tickets (the truth). Where the judge’s line climbs and the truth does not, the student is learning the judge, not the task.',
    explain: {
      text:
        'Half of today’s fine-tuning pipelines let one model grade another’s outputs (RLAIF, synthetic preference pairs). A judge is a measured instrument, not an oracle: whatever it systematically gets wrong, a student optimised on its preferences learns as if it were right, while the judge’s own score of the student keeps rising. Here the judge’s bias is built in and measured (its own exact match on the billing tickets is shown), so its effect on the student can be read against the ground truth that the gold control tracks.',
      source: 'Bai et al. 2022, “Constitutional AI: Harmlessness from AI Feedback”',
      href: 'https://arxiv.org/abs/2212.08073',
    },
  },
  {
    id: 'embedding-gap',
    label: 'Embedding gap',
    shows:
      'Uses the base as an embedder to rank 4 team pages for held-out support tickets, then fine-tunes it contrastively on 8, 32 and 128 ticket → page pairs (LoRA) and ranks again.',
    read: 'Read each chart left to right: the base’s line is flat (it never trains), the fine-tuned line shows what that many pairs buy; the table gives each gain paired on the same tickets.',
    explain: {
      text:
        'A model used as an embedder ranks documents by how close their vectors are, which follows what looks similar, not what is relevant in your domain: here a ticket’s words point at one team’s page while the ticket belongs to another. Fine-tuning on a few hundred domain pairs is the standard fix. The loss is in-batch negatives (MultipleNegativesRankingLoss): each ticket must score its own page above the other pages in the batch, a softmax over similarities × 20, so no negatives need labelling. Recall@1 is the share of tickets whose relevant page ranks first (chance 0.25 with 4 pages); nDCG@10 also credits a relevant page ranked lower. Bars are 95% intervals over seeds and tickets; a gain counts only where its paired interval excludes zero. Measured at this preset’s size (3 seeds, docs/results.md): the 400k base ranks the relevant page first for a third of the tickets, 8 pairs gave no resolved gain, 32 pairs did, and 128 pairs raised recall@1 by about a quarter; this character-level base follows the pages’ words no more than relevance, so the gap it shows is how little it embeds, not the word trap itself.',
      source: 'Henderson et al. 2017, “Efficient Natural Language Response Suggestion for Smart Reply” (sentence-transformers’ MultipleNegativesRankingLoss)',
      href: 'https://arxiv.org/abs/1705.00652',
    },
  },
  {
    id: 'matched-gain',
    label: 'LoRA vs full FT at matched gain',
    shows:
      'Fine-tunes ROUTE with LoRA r8 and with full fine-tuning, each at two learning rates; every run stops as soon as ROUTE reaches a set accuracy on a separate dev set, and the other skills are scored right there.',
    read: 'Each dot is one method at one learning rate: how much of the other skills it had lost when it reached the target (lower is better), with its 95% interval; runs that never reached the target are counted beside it. The reading compares each method at its best rate.',
    explain: {
      text:
        'Comparing methods after the same number of steps is unfair when one learns faster: it has had longer to forget. Biderman et al. compared LoRA and full fine-tuning at the same gain instead: sweep each method’s learning rate, stop each run when the target task reaches a set score, and measure what was lost at that point. They found LoRA learns less and forgets less. Here the target is checked every few steps on dev items that are never reported, forgetting is read on the reported items of six skills the base had and on held-out text, and LoRA − full is a paired difference (same seed, same items) stated only where its interval excludes zero. Each method’s best rate is picked on the same runs, as in the paper. Measured at this preset’s size (3 seeds, docs/results.md): LoRA forgot 0.05 less of the other skills and its held-out perplexity rose less, both resolved, but both methods had lost nearly all the other skills by the time ROUTE reached 0.3, and LoRA’s ROUTE on the reported items was lower (not resolved): part of forgetting less may be learning less.',
      source: 'Biderman et al. 2024, “LoRA Learns Less and Forgets Less”',
      href: 'https://arxiv.org/abs/2405.09673',
    },
  },
  {
    id: 'prompting',
    label: 'Prompting vs fine-tuning',
    shows:
      'Asks the untouched long-context base a skill with 0, 1, 2, 4 or 8 solved examples written before each question (prompting), and fine-tunes it with LoRA on 8 up to 512 examples of the same kind (asked with none), on the same held-out questions.',
    read: 'Two curves on one chart: accuracy against the examples each approach used. The dashed line is the best prompting score; the table gives each fine-tuning size minus that score, paired on the same seeds and questions, and the second chart what each approach costs.',
    explain: {
      text:
        'Before fine-tuning anything, ask whether prompting is enough. A language model can often do a task from a few solved examples placed in its prompt (few-shot or in-context learning): nothing is trained, but every query carries those examples, so each costs more tokens. Fine-tuning changes the weights once, after which the model is asked with no examples. Which wins depends on the model and the task, and comparisons must be fair: the same examples, the same questions, several seeds. Here each seed draws one pool of training examples; the k shots are its first k and the N fine-tuning examples its first N, never a test question. The crossover is the smallest N whose paired difference against the best prompting point has a 95% interval above zero. Costs are measured in what they are: prompt tokens per query (counted) and one-time training time (measured here, with a laptop-GPU estimate); a break-even in queries is stated only in token forward passes, an estimate. Measured at this preset’s size (3 seeds, docs/results.md): on this small base the solved examples mostly hurt (UP 0.67 asked cold, 0.31 with 8 examples, which also make a query 14 times longer), so the best prompting point was no examples at all; LoRA beat it from N = 32 on (+0.06, interval +0.02 to +0.10) and by +0.21 at N = 512, while 8 examples trained for 200 steps scored below the untouched base (−0.07). With zero-shot the best prompt, fine-tuning bought accuracy, not cheaper queries; a large model that reads examples well can land the other way (Mosbach et al.).',
      source: 'Brown et al. 2020, “Language Models are Few-Shot Learners”; the comparison after Mosbach et al. 2023, “Few-shot Fine-tuning vs. In-context Learning: A Fair Comparison and Evaluation”',
      href: 'https://arxiv.org/abs/2305.16938',
    },
  },
  {
    id: 'ceiling',
    label: 'Capability ceiling',
    shows:
      'Gives four bases the same fine-tune: answer “what is tulol’s color?” for 12 of the 20 Tiny World entities, a phrasing none of them saw; then asks about the 8 entities it never trained on. One base (the ablated twin) never saw any fact in pretraining.',
    read: 'Each dot is one base: across, how many of the held-out facts it already knew in its pretraining phrasing; up, how many it answers after fine-tuning in the new one, with 95% intervals on both. The orange line is chance; a dot on the faint diagonal surfaced every fact its base knew.',
    explain: {
      text:
        'Fine-tuning mostly teaches a model how to answer, not what is true: the knowledge has to be in the base already. Zhou et al. (LIMA) fine-tuned on only 1,000 examples and argued that almost all knowledge is learnt in pretraining; Gekhman et al. showed that fine-tuning on facts the base did not know is learnt slowly and makes the model hallucinate more. Here every base learns the same new question format on some entities, and is asked about others it was never fine-tuned on: it can only answer those if it memorised their facts in pretraining. x is what the base already knew (its FACT score on those very facts before fine-tuning), y what fine-tuning surfaced. A base with no facts can learn the format but can only guess; chance is answering every question with the most common answer among the trained entities. Measured at this preset’s size (3 seeds, docs/results.md): every base learnt the format on its trained entities; the two bases that knew nearly every fact answered about half of the held-out questions (0.44 and 0.49, chance 0.21), well below what they knew; the ablated twin and the 70k, whose FACT score was 0.50, both stayed at chance (0.18 and 0.17), so a weakly known fact was not surfaced at all. The ceiling followed the base, and sat under it: fine-tuning also cost the strong bases part of their FACT score in the old phrasing.',
      source: 'Gekhman et al. 2024, “Does Fine-Tuning LLMs on New Knowledge Encourage Hallucinations?”; Zhou et al. 2023, “LIMA: Less Is More for Alignment” (arXiv 2305.11206)',
      href: 'https://arxiv.org/abs/2405.05904',
    },
  },
];
