// Worker-side API of experiments: everything in ./index plus the cell runner and base loading, which load tfjs (never import this from the page).
export * from './index';
export { runCell, type ExperimentBase, type CellRunOptions } from './cell-runner';
export { loadExperimentBase } from './base';
