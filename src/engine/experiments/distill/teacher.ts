// The preset's teachers of controlled accuracy: gold Tiny World answers with a known share corrupted, deterministically per item.
import { Rng } from '../../rng';
import { ROUTE_TEAMS, SKILLS, TICK_LABELS, type SkillName } from '../../world';

/** FNV-1a 32-bit of a string, as a uniform draw in [0, 1) together with the teacher's seed. */
function unitHash(teacherSeed: number, text: string): number {
  let h = (0x811c9dc5 ^ Math.imul(teacherSeed >>> 0, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // One splitmix-style finaliser so neighbouring prompts do not give neighbouring draws.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

const LABELS: Partial<Record<SkillName, readonly string[]>> = { ROUTE: ROUTE_TEAMS, TICK: TICK_LABELS };

/**
 * The wrong answer this teacher gives on an item when it errs: for the label skills a fixed confusion (each label
 * becomes the next one, cashdesk → techdesk → warehouse → manager → cashdesk), the kind of systematic error a real
 * teacher makes; for the others the skill's own corruption, seeded by the item.
 */
export function teacherWrongAnswer(skill: SkillName, prompt: string, gold: string, teacherSeed: number): string {
  const labels = LABELS[skill];
  const at = labels ? labels.indexOf(gold) : -1;
  if (labels && at >= 0) return labels[(at + 1) % labels.length];
  const rng = new Rng(Math.floor(unitHash(teacherSeed + 1, prompt) * 4294967296));
  return SKILLS[skill].corrupt(rng, { prompt, answer: gold, key: prompt, tags: [] });
}

/**
 * The teacher's answer to one item: wrong when the item's own draw (its prompt hashed with the teacher's seed) falls
 * under `share`, so the same teacher errs on the same items in every cell and seed, and a share's errors include
 * those of every smaller share.
 */
export function teacherAnswer(skill: SkillName, prompt: string, gold: string, share: number, teacherSeed: number): { answer: string; wrong: boolean } {
  if (unitHash(teacherSeed, prompt) >= share) return { answer: gold, wrong: false };
  const answer = teacherWrongAnswer(skill, prompt, gold, teacherSeed);
  return { answer, wrong: answer !== gold };
}
