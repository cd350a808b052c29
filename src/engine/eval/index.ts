// Public API of the eval harness.

export * from './types';
export { evaluateSuite, headline, type EvaluateOptions } from './run-suite';
export { bootstrapScore, percentile, ratioOf } from './bootstrap';
export { exactMatch, contains, multipleChoice, perplexityTerms, tokenAccuracy, continuationLogprob } from './metrics';
export { compareResults, type Comparison, type ComparisonRow, type ComparisonWarning } from './compare';
export { withFewShot, tinyWorldShots, FEW_SHOT_COUNT, FEW_SHOT_SEED, type Shot } from './few-shot';
export { tinyWorldSuite, skillProbe, type TinyWorldSuiteOptions } from './tiny-world-suite';
export { evalModelOf, evalTokenizerOf } from './eval-model';
