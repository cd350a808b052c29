// Regression suites: the abilities a fine-tune must keep (types), and the checks every suite passes: items enough for an interval, items within the context.

import { RegressionSuiteError } from '../errors';

/** Fewest items an ability needs for its before/after interval to mean anything (a 95% bootstrap over fewer is mostly noise). */
export const MIN_ITEMS_PER_ABILITY = 10;

export interface RegressionAnswerItem {
  prompt: string;
  answer: string;
}

export interface RegressionTextItem {
  text: string;
}

/** One ability of a suite: exact match (greedy) on prompt/answer items, or perplexity of held-out texts. */
export type RegressionAbility =
  | { name: string; metric: 'exact_match'; items: RegressionAnswerItem[] }
  | { name: string; metric: 'perplexity'; items: RegressionTextItem[] };

export type RegressionMetric = RegressionAbility['metric'];

/** One item's value as a ratio (exact match: correct/1; perplexity: negative log-likelihood/tokens). */
export interface RegressionItemValue {
  numerator: number;
  denominator: number;
}

/** A suite scored on one model: per ability, every item's value in item order (so before and after pair item by item). */
export interface RegressionScores {
  /** The training step of the model scored (0 = the base). */
  step: number;
  abilities: { name: string; metric: RegressionMetric; higherIsBetter: boolean; items: RegressionItemValue[] }[];
}

/** Every ability needs MIN_ITEMS_PER_ABILITY items and distinct names; throws RegressionSuiteError saying how many are missing. */
export function validateAbilities(abilities: readonly RegressionAbility[]): void {
  const small = abilities.filter((a) => a.items.length < MIN_ITEMS_PER_ABILITY);
  if (small.length) {
    const list = small.map((a) => `“${a.name}” has ${a.items.length}`).join(', ');
    throw new RegressionSuiteError(
      `Too few items for an interval: ${list}; each ability needs at least ${MIN_ITEMS_PER_ABILITY}.`,
      `Add items (at least ${MIN_ITEMS_PER_ABILITY} per ability) or merge small abilities under one name.`,
    );
  }
}

/** Token lengths of an ability's items against the model's context: throws naming the first item that does not fit. */
export function checkSuiteContext(abilities: readonly RegressionAbility[], encode: (text: string) => number[], maxPositions: number): void {
  for (const ability of abilities) {
    ability.items.forEach((item, i) => {
      // Exact match: the prompt, the answer and the stop token must fit; perplexity: the text.
      const tokens = 'text' in item ? encode(item.text).length : encode(item.prompt).length + encode(item.answer).length + 1;
      if (tokens > maxPositions) {
        throw new RegressionSuiteError(
          `Item ${i + 1} of “${ability.name}” is ${tokens} tokens long${'text' in item ? '' : ' (prompt + answer + stop)'}, beyond the model's context of ${maxPositions}.`,
          `Shorten the suite's prompts to fit ${maxPositions} tokens, or choose a model with a longer context.`,
        );
      }
    });
  }
}
