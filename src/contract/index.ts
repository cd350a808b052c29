// The one door between the page and the worker: stored records, run settings and every job's input, progress and result. Types only; no run-time code.
export type * from './records';
export type * from './backend';
export type * from './jobs/adapter-import';
export type * from './jobs/evaluate';
export type * from './jobs/evaluate-skills';
export type * from './jobs/experiment';
export type * from './jobs/generate';
export type * from './jobs/load-model';
export type * from './jobs/parse-dataset';
export type * from './jobs/pretrain-speed';
export type * from './jobs/queue';
export type * from './jobs/run-export';
export type * from './jobs/train';
export type * from './jobs/hub-dataset';
export type * from './regression-suite';
export type * from './jobs/curve';
export type * from './jobs/privacy-report';
