// Public API of experiments: sweep specs and presets, cells, the cell runner, aggregation, chart series, readings, URL state.
export * from './types';
export { saturationPreset, cliffPreset, presetSpec, reducedSpec, DEFAULT_BASE, FULL_FT_LR_FACTOR } from './presets';
export { expandCells, cellKey, experimentId } from './cells';
export { cellExamples, narrowShift, POOL_CAPACITY } from './cell-data';
export { experimentSuite, EVAL_SEED, PERPLEXITY_PROBE } from './suite';
export { runCell, trainOptionsOf, GPT2_LORA_TARGETS, type ExperimentBase, type CellRunOptions } from './cell-runner';
export { twoLevelBootstrap, resolved, type Estimate, type SeedItems } from './resample';
export { saturationSeries, addedSeries, cliffCurves, tradeoffSeries, adjacentMean, mainKnob, variantOf, pairedDifference, scoreEstimate, type SeriesPoint, type TradeoffPoint, type Difference } from './series';
export { saturationReading, cliffReading, tradeoffReading, formatScore, formatDifference } from './reading';
export { specToQuery, specFromQuery } from './url-state';
export { loadExperimentBase, seedBaseConfig, SEED_BASE_PREFIX, type ReadModelFile } from './base';
