// What this tab knows of runs that other tabs train: the latest progress each sent (null until the first arrives).
import type { MetricPoint } from '../../contract';
import type { TrainProgress } from '../../contract';
import type { RunMessage } from './run-channel';

export type Elsewhere = ReadonlyMap<string, TrainProgress | null>;

/** No run is trained elsewhere. */
export const NOWHERE: Elsewhere = new Map();

/** The map after a message from another tab: started/progress add or update the run, stopped removes it. */
export function applyRunMessage(elsewhere: Elsewhere, message: RunMessage): Elsewhere {
  const next = new Map(elsewhere);
  if (message.kind === 'stopped') next.delete(message.runId);
  else if (message.kind === 'progress') next.set(message.runId, message.progress);
  else if (!next.has(message.runId)) next.set(message.runId, null);
  return next;
}

/** Points another tab measured that extend this tab's series (only steps after its last one, so the line stays one line). */
export function newerPoints(series: readonly MetricPoint[], points: readonly MetricPoint[]): MetricPoint[] {
  const last = series.at(-1)?.step ?? -1;
  return points.filter((p) => p.step > last);
}
