// Public API of Tiny World: skills, the fixed world, dataset generation and the character vocabulary.

export * from './types';
export { SKILLS, SKILL_NAMES, SINGLE_STEP_SKILLS, COMPOSITE_SKILLS, TARGET_SKILL, PRETRAIN_MIX, skillOfPrompt } from './skills';
export { WORLD_ENTITIES, WORLD_SEED, FACT_ATTRIBUTES } from './entities';
export { generateWorldDataset, generateEvalSet, toRecords, isCorrect, allocate, GENERATOR_VERSION } from './dataset';
export { splitOf, EVAL_SHARE_PER_MILLE } from './partition';
export { WORLD_CHARS } from './vocabulary';
export { TICK_PHRASES, TICK_TEMPLATES, ROUTE_PHRASES, ROUTE_TEMPLATES, TICKET_COHORTS } from './tickets';
export { TINY_WORLD_BASE_MODELS, type TinyWorldBaseModel } from './base-models';
export { pretrainBatch, PRETRAIN_SKILLS, LONGEST_PRETRAIN_LINE, type PretrainBatchSpec, type PackedSequence, type PackedLine } from './pretrain-stream';
