// A CSV column mapping that cannot make training rows (no completion column, or the prompt column again), in words.

export interface CsvFieldChoice {
  /** The prompt column, or null for plain text (the completion column is then the whole text). */
  prompt: string | null;
  /** The column the model learns to produce; '' when none is chosen yet. */
  completion: string;
}

/** Why the mapping cannot be imported, or null when it can. */
export function csvMappingProblem(mapping: CsvFieldChoice): string | null {
  if (!mapping.completion) {
    return mapping.prompt
      ? 'Choose the completion column: the text the model learns to produce after each prompt. A file with prompts only has nothing to learn; add a completion column, or set Prompt to “none” to train on one column as plain text.'
      : 'Choose the column that holds the training text.';
  }
  if (mapping.prompt && mapping.prompt === mapping.completion) {
    return `The prompt and the completion are the same column (“${mapping.prompt}”), so the model would only learn to repeat its input. Choose another completion column, or set Prompt to “none” to train on “${mapping.prompt}” as plain text.`;
  }
  return null;
}
