// All human-written text of a record, for scans that do not care about its shape.

import { preferenceTexts } from './preference';
import type { DatasetRecord } from './record';

export function recordTexts(record: DatasetRecord): string[] {
  switch (record.kind) {
    case 'prompt-completion':
      return [record.prompt, record.completion];
    case 'messages':
      return record.messages.map((m) => m.content);
    case 'text':
      return [record.text];
    case 'preference':
      return preferenceTexts(record);
  }
}
