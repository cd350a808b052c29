// Distillation drafts in IndexedDB (store "distillDrafts"): a cancelled or failed generation kept as it stopped, listed, resumed, saved as its own dataset or deleted on request.
import { TuneLabError } from '../engine/errors';
import { openTuneLabDb } from './db';
import type { DistillDraftRecord, DistillResult, DistillRow } from '../contract';

/** A draft that cannot be resumed as asked (the teacher or the prompts changed since it was made); raised and shown on the page only. */
export class DistillDraftError extends TuneLabError {
  override name = 'DistillDraftError';
}

/** Every stored draft, newest first. */
export async function listDistillDrafts(): Promise<DistillDraftRecord[]> {
  return (await (await openTuneLabDb()).getAllFromIndex('distillDrafts', 'createdAt')).reverse();
}

export async function putDistillDraft(draft: DistillDraftRecord): Promise<void> {
  await (await openTuneLabDb()).put('distillDrafts', draft);
}

export async function deleteDistillDraft(id: string): Promise<void> {
  await (await openTuneLabDb()).delete('distillDrafts', id);
}

/** The same teacher, settings and prompts (a row's own seed aside): only then may a resumed generation's rows join a draft's. */
export function sameProducer(a: DistillResult['producer'], b: DistillResult['producer']): boolean {
  const key = (p: DistillResult['producer']) => JSON.stringify([p.engine, p.model, p.revision ?? null, p.runId ?? null, p.runStep ?? null, p.sampling.temperature ?? 0, p.sampling.topP ?? null, p.sampling.topK ?? null, p.sampling.maxNewTokens, p.seed, p.promptFormat ?? null]);
  return key(a) === key(b);
}

/**
 * A draft's rows joined by the rows a resumed generation added, in source order. Refused (named error, nothing joined)
 * when the teacher changed in between (another run step, other settings) or the prompts did (the source has another
 * size), since the rows would then not come from one producer: save the draft as it is instead, or start again.
 */
export function resumedResult(draft: DistillResult, resumed: DistillResult): DistillResult {
  if (!sameProducer(draft.producer, resumed.producer)) {
    const step = (r: DistillResult) => (r.producer.runStep !== undefined ? `step ${r.producer.runStep}` : 'no step');
    throw new DistillDraftError(
      `The teacher is not the one that wrote this draft (${draft.producer.model}${draft.producer.runId ? `, ${step(draft)} → ${step(resumed)}` : ''}), so its answers cannot join the draft's.`,
      'Save the draft as a dataset as it is, or delete it and generate again.',
    );
  }
  if (draft.total !== resumed.total || draft.sourceLabel !== resumed.sourceLabel) {
    throw new DistillDraftError(`The prompts changed since this draft (${draft.total} then, ${resumed.total} now), so the rows would not line up.`, 'Save the draft as a dataset as it is, or delete it and generate again.');
  }
  const byIndex = new Map<number, DistillRow>();
  for (const row of [...draft.rows, ...resumed.rows]) byIndex.set(row.index, row);
  const rows = [...byIndex.values()].sort((a, b) => a.index - b.index);
  return {
    ...resumed,
    status: rows.length === resumed.total && resumed.status === 'complete' ? 'complete' : resumed.status,
    rows,
    tokens: draft.tokens + resumed.tokens,
    elapsedMs: draft.elapsedMs + resumed.elapsedMs,
  };
}
