// Pure API of experiments, safe for the page (no tfjs): sweep specs and presets, cells, aggregation, chart series, readings, URL state.
// The cell runner and base loading import the model and the trainer; they are in ./runner (worker and Node only).
export * from './types';
export { saturationPreset, cliffPreset, leakagePreset, distillPreset, presetSpec, reducedSpec, DEFAULT_BASE, LEAKAGE_BASE, FULL_FT_LR_FACTOR } from './presets';
export { expandCells, cellKey, experimentId } from './cells';
export { cellExamples, narrowShift, POOL_CAPACITY } from './cell-data';
export { experimentSuite, EVAL_SEED, EVAL_ROLE, PERPLEXITY_PROBE } from './suite';
export { cellHyperparameters, cellTrainOptions, GPT2_LORA_TARGETS } from './cell-training';
export { baseWeightsSha256, SEED_BASE_PREFIX, seedBaseConfig, type ReadModelFile } from './base-sha';
export { twoLevelBootstrap, resolved, type Estimate, type SeedItems } from './resample';
export { saturationSeries, phraseSplitSeries, addedSeries, cliffCurves, tradeoffSeries, adjacentMean, mainKnob, variantOf, pairedDifference, scoreEstimate, type SeriesPoint, type TradeoffPoint, type Difference } from './series';
export { saturationReading, cliffReading, cliffStageReading, tradeoffReading, tradeoffStageReading, armComparisons, formatScore, formatDifference } from './reading';
export { specToQuery, specFromQuery } from './url-state';
export { seenPhraseFlags, accuracyWhere } from './seen-phrases';
