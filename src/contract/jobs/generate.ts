// Generation job: base vs fine-tuned side by side, streamed token by token.

export interface GenerateInput {
  runId: string;
  prompt: string;
  maxTokens: number;
  temperature: number;
  seed: number;
  /** Loaded models: send the prompt as one user message through the chat template (plain "role: content" without one). */
  chat?: boolean;
}

export interface GenerateProgress {
  side: 'base' | 'tuned';
  text: string;
  done: boolean;
}

export interface GenerateResult {
  base: string;
  tuned: string;
  tunedStep: number | null;
  /** Prompt characters the model's vocabulary does not have (they were left out). */
  unknownCharacters: string[];
  /** In chat mode: how the prompt was rendered ('template' = the tokenizer's own chat template). */
  chatFormat: 'template' | 'plain' | null;
  /** The text the models were given (after the chat template, if any). */
  promptText: string;
}
