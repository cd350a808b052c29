// A CSV mapping without a completion column, or with the prompt column as its completion, is refused with the reason.
import { describe, expect, it } from 'vitest';
import { csvMappingProblem } from './csv-mapping-check';

describe('csvMappingProblem', () => {
  it('accepts prompt + completion, and one column as plain text', () => {
    expect(csvMappingProblem({ prompt: 'question', completion: 'answer' })).toBeNull();
    expect(csvMappingProblem({ prompt: null, completion: 'prompt' })).toBeNull();
  });

  it('refuses a blank completion, saying what to choose', () => {
    expect(csvMappingProblem({ prompt: 'prompt', completion: '' })).toMatch(/^Choose the completion column/);
    expect(csvMappingProblem({ prompt: null, completion: '' })).toMatch(/^Choose the column that holds the training text/);
  });

  it('refuses the prompt column as its own completion', () => {
    expect(csvMappingProblem({ prompt: 'prompt', completion: 'prompt' })).toMatch(/same column \(“prompt”\)/);
  });
});
