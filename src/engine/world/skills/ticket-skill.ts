// Factory for ticket classification skills (TICK, ROUTE): "NAME <wrapped phrase>=" → label, phrased per cohort.

import type { Skill, SkillName } from '../types';
import { TICKET_COHORTS, phraseFor } from '../tickets';
import { pick, templateChoices } from '../sampling';

export function makeTicketSkill(
  name: SkillName,
  description: string,
  phrases: Record<string, readonly string[]>,
  templates: readonly string[],
  pretrained: boolean,
): Skill {
  const labels = Object.keys(phrases);
  // Every prompt the skill can produce → its label; the solver is a lookup, so it also proves prompts are unambiguous.
  const answers = new Map<string, string>();
  for (const label of labels) {
    for (const phrase of phrases[label]) {
      for (const cohort of TICKET_COHORTS) {
        for (const template of templates) {
          const prompt = `${name} ${template.replace('{p}', phraseFor(phrase, cohort))}=`;
          const previous = answers.get(prompt);
          if (previous !== undefined && previous !== label) throw new Error(`${name}: "${prompt}" has two labels.`);
          answers.set(prompt, label);
        }
      }
    }
  }
  return {
    name,
    description,
    pretrained,
    partitioned: true,
    cohorts: TICKET_COHORTS,
    sample(rng, { shift, cohort }) {
      const label = pick(rng, shift.labels ? labels.filter((l) => shift.labels!.includes(l)) : labels);
      const phrase = pick(rng, phrases[label]);
      const templateIndex = pick(rng, templateChoices(shift, templates.length));
      const who = cohort ?? pick(rng, TICKET_COHORTS);
      const prompt = `${name} ${templates[templateIndex].replace('{p}', phraseFor(phrase, who))}=`;
      return { prompt, answer: label, key: prompt, cohort: who, tags: [`template:${templateIndex}`] };
    },
    solve(prompt) {
      return answers.get(prompt) ?? null;
    },
    corrupt(rng, item) {
      return pick(
        rng,
        labels.filter((l) => l !== item.answer),
      );
    },
  };
}
