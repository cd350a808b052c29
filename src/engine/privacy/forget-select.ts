// Which records a forget request names: by record id, a text search or regex, a cohort, a tag, or a personal-data scan kind.
import { scanText, type PiiKind } from '../data/pii-scan';
import { ForgetRequestError } from '../errors';

/** A forget request as the user states it. */
export type ForgetCriteria =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'text'; query: string; regex: boolean; caseSensitive?: boolean }
  | { kind: 'cohort'; cohort: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'pii'; pii: PiiKind };

/** What selection reads of a stored row (DatasetRow has these fields). */
export interface SelectableRow {
  id: string;
  prompt: string;
  completion: string;
  messages?: { content: string }[];
  cohort?: string;
  tags?: string[];
}

/** Every text of a row the model may have seen: the prompt, the completion and each message. */
export function rowTexts(row: SelectableRow): string[] {
  const texts = [row.prompt, row.completion, ...(row.messages ?? []).map((m) => m.content)];
  return texts.filter((t) => t.length > 0);
}

/** The ids a user typed: separated by commas, spaces or new lines. */
export function parseIdList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** A predicate over rows for the request; a malformed request (empty, bad regex) is refused with what to type instead. */
export function rowMatcher(criteria: ForgetCriteria): (row: SelectableRow) => boolean {
  switch (criteria.kind) {
    case 'ids': {
      if (criteria.ids.length === 0) throw new ForgetRequestError('No record ids were given.', 'Paste one or more record ids (the Id column of the rows), separated by commas or spaces.');
      const ids = new Set(criteria.ids);
      return (row) => ids.has(row.id);
    }
    case 'text': {
      if (criteria.query.length === 0) throw new ForgetRequestError('The search is empty.', 'Type the text (or a regular expression) the records to forget contain.');
      if (criteria.regex) {
        let re: RegExp;
        try {
          re = new RegExp(criteria.query, criteria.caseSensitive ? 'u' : 'iu');
        } catch (error) {
          throw new ForgetRequestError(`“${criteria.query}” is not a valid regular expression (${(error as Error).message}).`, 'Fix the pattern, or untick “Regular expression” to search for the text as typed.');
        }
        return (row) => rowTexts(row).some((t) => re.test(t));
      }
      const needle = criteria.caseSensitive ? criteria.query : criteria.query.toLowerCase();
      return (row) => rowTexts(row).some((t) => (criteria.caseSensitive ? t : t.toLowerCase()).includes(needle));
    }
    case 'cohort':
      if (!criteria.cohort) throw new ForgetRequestError('No cohort was picked.', 'Pick the cohort whose records to forget.');
      return (row) => row.cohort === criteria.cohort;
    case 'tag':
      if (!criteria.tag) throw new ForgetRequestError('No tag was picked.', 'Pick the tag whose records to forget.');
      return (row) => row.tags?.includes(criteria.tag) === true;
    case 'pii':
      return (row) => rowTexts(row).some((t) => scanText(t)[criteria.pii] > 0);
  }
}

/** The request in words, for the lineage and the report ("rows tagged “canary”"). */
export function describeCriteria(criteria: ForgetCriteria): string {
  switch (criteria.kind) {
    case 'ids':
      return `records with id ${criteria.ids.slice(0, 5).join(', ')}${criteria.ids.length > 5 ? ` and ${criteria.ids.length - 5} more` : ''}`;
    case 'text':
      return `records ${criteria.regex ? 'matching the regular expression' : 'containing'} a search (${criteria.query.length} characters, not repeated here)`;
    case 'cohort':
      return `records of the cohort “${criteria.cohort}”`;
    case 'tag':
      return `records tagged “${criteria.tag}”`;
    case 'pii':
      return `records the personal-data scan flags as ${criteria.pii}`;
  }
}

/**
 * The strings a storage scan looks for after erasure: every text of each removed record, except texts a kept record
 * also holds (those are not forgotten: they stay in the new version). Returns both lists.
 */
export function forgottenStrings(removed: readonly SelectableRow[], keptTexts: ReadonlySet<string>): { strings: string[]; alsoKept: number } {
  const strings = new Set<string>();
  let alsoKept = 0;
  for (const row of removed) {
    for (const text of rowTexts(row)) {
      if (keptTexts.has(text)) alsoKept++;
      else strings.add(text);
    }
  }
  return { strings: [...strings], alsoKept };
}
