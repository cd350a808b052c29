// Stopping a job: the reason the page gives the worker's queue.
/** Why a job was asked to stop: cancel ends it, pause ends it after a checkpoint so it can resume. */
export type StopReason = 'cancel' | 'pause';
