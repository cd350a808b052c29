// The training rows as TRL will read them: one row format per file, no per-message weights TRL would silently ignore.
import type { DatasetRecord, RecordKind } from '../data/record';
import { recordToJson } from '../data/serialize';
import { ScaleOutError } from '../errors';

/** TRL's name for each of TuneLab's row formats. */
const TRL_FORMAT: Record<RecordKind, string> = { messages: 'conversational', 'prompt-completion': 'prompt-completion', text: 'language modeling', preference: 'preference' };

export interface ScaleOutDataset {
  /** The one row format of the file: TRL detects it from the first row and applies it to every row. */
  kind: RecordKind;
  /** One JSON object per line, ending with a newline. */
  jsonl: string;
}

function lineList(lines: readonly number[]): string {
  return lines.length <= 5 ? lines.join(', ') : `${lines.slice(0, 5).join(', ')} and ${lines.length - 5} more`;
}

/**
 * Checks that TRL 1.9 can train these rows the way TuneLab did, and writes them. TRL decides a dataset's format from its
 * first row, so a file mixing chat and prompt/completion rows fails inside its tokenizer; and it has no per-message loss
 * weight (a `weight` key is passed to the chat template and ignored), so a message weighted below 1 would be trained in
 * full. Both are refused here with what to do, instead of producing a script that trains something else.
 */
export function scaleOutDataset(records: readonly DatasetRecord[], trainedRoles: readonly string[] = ['assistant']): ScaleOutDataset {
  if (records.length === 0) throw new ScaleOutError('The run has no training rows to export.', 'Train on a dataset with a train split, then export.');
  const preferenceForms = new Map<string, number[]>();
  for (const r of records) if (r.kind === 'preference') { const form = typeof r.prompt === 'string' ? 'text' : 'chat'; preferenceForms.set(form, [...(preferenceForms.get(form) ?? []), r.line]); }
  if (preferenceForms.size > 1) {
    throw new ScaleOutError(
      `The preference rows mix text and chat forms (chat on line${preferenceForms.get('chat')!.length === 1 ? '' : 's'} ${lineList(preferenceForms.get('chat')!)}). TRL reads one form per dataset.`,
      'Keep one form (text or chat messages) in the file, train again, then export.',
    );
  }
  const byKind = new Map<RecordKind, number[]>();
  for (const r of records) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r.line]);
  if (byKind.size > 1) {
    const parts = [...byKind].map(([kind, lines]) => `${lines.length} ${TRL_FORMAT[kind]} row${lines.length === 1 ? '' : 's'} (line${lines.length === 1 ? '' : 's'} ${lineList(lines)})`);
    throw new ScaleOutError(
      `The training rows mix formats: ${parts.join(', ')}. TRL reads one format per dataset and fails on the others.`,
      'Split the file into one dataset per format on the Data page (or convert the rows to one format) and train and export each.',
    );
  }
  const weighted = records.filter((r) => r.kind === 'messages' && r.messages.some((m) => trainedRoles.includes(m.role) && (m.weight ?? 1) !== 1));
  if (weighted.length > 0) {
    throw new ScaleOutError(
      `${weighted.length} chat row${weighted.length === 1 ? ' has' : 's have'} assistant messages with a weight below 1 (line${weighted.length === 1 ? '' : 's'} ${lineList(weighted.map((r) => r.line))}). TuneLab leaves those turns out of the loss; TRL has no per-message weight and would train them.`,
      'Remove those turns (or the weight-0 messages) from the data, or set their weight to 1, train again, then export.',
    );
  }
  // Weights are all 1 on trained turns and meaningless on the others: dropped, so TRL sees plain messages.
  const plain = records.map((r) => (r.kind === 'messages' ? { ...r, messages: r.messages.map(({ role, content }) => ({ role, content })) } : r));
  return { kind: records[0].kind, jsonl: plain.map((r) => recordToJson(r) + '\n').join('') };
}
