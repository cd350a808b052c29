// Live progress of a run between tabs (BroadcastChannel): the tab that trains it says so; the others show it.
import type { TrainProgress } from '../../contract';
import type { RunPurpose } from '../state/training.svelte';

export type RunMessage =
  | { kind: 'started'; purpose: RunPurpose; runId: string }
  | { kind: 'progress'; purpose: RunPurpose; runId: string; progress: TrainProgress }
  | { kind: 'stopped'; purpose: RunPurpose; runId: string };

const CHANNEL = 'tunelab-runs';

/** A tab's end of the channel: post what this tab's jobs do, hear what other tabs' jobs do (never its own messages). */
export class RunChannel {
  private readonly channel: BroadcastChannel | null;

  constructor(onMessage: (message: RunMessage) => void) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);
    this.channel?.addEventListener('message', (event: MessageEvent<RunMessage>) => onMessage(event.data));
  }

  post(message: RunMessage): void {
    this.channel?.postMessage(message);
  }

  close(): void {
    this.channel?.close();
  }
}
