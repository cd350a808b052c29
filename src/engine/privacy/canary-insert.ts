// Canary records for a dataset: each spec's secret drawn from its seed, its text repeated the chosen number of times.
import type { TextRecord } from '../data/record';
import { recordId } from '../data/record-id';
import { CanaryTemplateError } from '../errors';
import { candidateCount, drawSecret, parseCanaryTemplate, renderCanary, secretSpan } from './canary-template';

/** What the user asks for: one template, how often its canary appears, and the seed its secret is drawn from. */
export interface CanarySpec {
  template: string;
  repetitions: number;
  seed: number;
}

/** A canary as recorded in the dataset's lineage: enough to rebuild its candidate space and score it. */
export interface CanaryLineage {
  /** The record id of the canary text (recordId of its text record): its rows in the dataset carry it. */
  id: string;
  template: string;
  seed: number;
  repetitions: number;
  /** The option index of each slot element (the secret). */
  choices: number[];
  /** The secret as text (slot span) and the whole canary line. */
  secret: string;
  text: string;
  /** |R|, the number of candidates. */
  candidates: number;
}

export const CANARY_TAG = 'canary';

/** Repetition counts the UI offers (powers of two). */
export const CANARY_REPETITIONS = [1, 2, 4, 8, 16, 32] as const;

/**
 * The canaries and their records (a text record per repetition, tagged "canary", cohort "canary"), numbered from
 * `firstLine`. Two specs that draw the same canary text are refused: their exposures could not be told apart.
 */
export function buildCanaries(specs: readonly CanarySpec[], firstLine: number): { canaries: CanaryLineage[]; records: TextRecord[] } {
  const canaries: CanaryLineage[] = [];
  const records: TextRecord[] = [];
  let line = firstLine;
  for (const spec of specs) {
    if (!Number.isInteger(spec.repetitions) || spec.repetitions < 1 || spec.repetitions > 1024) {
      throw new CanaryTemplateError(`A canary must appear a whole number of times from 1 to 1024 (got ${spec.repetitions}).`, 'Pick a repetition count such as 1, 2, 4, 8 or 16.');
    }
    const template = parseCanaryTemplate(spec.template);
    const choices = drawSecret(template, spec.seed);
    const text = renderCanary(template, choices);
    const record: TextRecord = { kind: 'text', text, line: 0, cohort: CANARY_TAG, tags: [CANARY_TAG] };
    const id = recordId(record);
    if (canaries.some((c) => c.id === id)) {
      throw new CanaryTemplateError(`Two canaries drew the same line "${text}".`, 'Give each canary its own seed or template.');
    }
    canaries.push({ id, template: spec.template, seed: spec.seed, repetitions: spec.repetitions, choices, secret: secretSpan(template, choices), text, candidates: candidateCount(template) });
    for (let r = 0; r < spec.repetitions; r++) records.push({ ...record, line: line++ });
  }
  return { canaries, records };
}
