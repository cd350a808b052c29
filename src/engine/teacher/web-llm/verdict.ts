// Reads a judge's free-text answer: a pairwise verdict (A, B or tie) and a rubric number, whatever the model wraps them in.

/** Drops a reasoning model's <think>…</think> block (Qwen3, DeepSeek-R1), closed or not, so only the answer is read. */
export function withoutThinking(text: string): string {
  return text.replace(/<think>[\s\S]*?(<\/think>|$)/gi, '').trim();
}

/**
 * The verdict in a judge's answer, or undefined when it names neither or both. Read in order of how explicit the form is:
 * "[[A]]" (MT-Bench's format), "verdict/winner/answer: A", "Answer A is better", a reply that is just "A" / "B" / "tie".
 */
export function parseVerdict(raw: string): 'A' | 'B' | 'tie' | undefined {
  const text = withoutThinking(raw);
  const bracketed = [...text.matchAll(/\[\[\s*(A|B|C|tie)\s*\]\]/gi)].map((m) => m[1].toUpperCase());
  if (bracketed.length > 0) return verdictOf(bracketed[bracketed.length - 1]);
  const labelled = /\b(?:final verdict|verdict|winner|better answer|best answer|answer|choice)\s*(?:is|:)\s*[*"'(]*\s*(?:answer\s+|response\s+)?\(?\s*(A|B|tie|neither|both)\b/i.exec(text);
  if (labelled) return verdictOf(labelled[1].toUpperCase());
  const alone = /^\W*(?:answer\s+|response\s+)?(A|B|tie)\b\W*$/i.exec(text);
  if (alone) return verdictOf(alone[1].toUpperCase());
  if (/^\W*(tie|equal(ly good)?|both (are )?(equally )?(good|bad|correct|wrong))\b/i.test(text)) return 'tie';
  // A reply that opens with a letter counts only if it never names the other one ("A and B" says nothing).
  const opening = /^\W*(?:answer\s+|response\s+)?(A|B)\b/i.exec(text)?.[1].toUpperCase();
  const first = opening && !new RegExp(`\\b${opening === 'A' ? 'B' : 'A'}\\b`).test(text) ? [opening] : null;
  const better = [...text.matchAll(/\b(?:answer|response)\s+(A|B)\s+is\s+(?:better|more (?:correct|accurate|helpful)|correct|preferred)/gi)].map((m) => m[1].toUpperCase());
  const named = new Set([...(first ?? []), ...better]);
  if (named.size === 1) return verdictOf([...named][0]);
  return undefined;
}

function verdictOf(token: string): 'A' | 'B' | 'tie' {
  if (token === 'A' || token === 'B') return token;
  return 'tie';
}

/** The rubric score in a judge's answer: "Score: 4", "[[4]]", "4/5", "4" — the explicit forms first, then a lone number in range. */
export function parseRubricScore(raw: string, min: number, max: number): number | undefined {
  const text = withoutThinking(raw);
  const inRange = (s: string | undefined) => {
    if (s === undefined) return undefined;
    const n = Number(s);
    return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
  };
  const number = '(-?\\d+(?:\\.\\d+)?)';
  for (const pattern of [new RegExp(`\\[\\[\\s*${number}\\s*\\]\\]`), new RegExp(`\\b(?:score|rating|grade)\\s*(?:is|:|=)?\\s*\\**\\s*${number}`, 'i'), new RegExp(`${number}\\s*(?:/|out of)\\s*${max}\\b`, 'i')]) {
    const found = inRange(pattern.exec(text)?.[1]);
    if (found !== undefined) return found;
  }
  const numbers = [...text.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => inRange(m[0])).filter((n): n is number => n !== undefined);
  return numbers.length > 0 ? numbers[0] : undefined;
}
