// Public API of Tiny World: skills, the fixed world, dataset generation and the character vocabulary.

export * from './types';
export { SKILLS, SKILL_NAMES, SINGLE_STEP_SKILLS, COMPOSITE_SKILLS, TARGET_SKILL, PRETRAIN_MIX, skillOfPrompt } from './skills';
export { WORLD_ENTITIES, WORLD_SEED, FACT_ATTRIBUTES } from './entities';
export { generateWorldDataset, generateEvalSet, toRecords, isCorrect, allocate, GENERATOR_VERSION } from './dataset';
export { splitOf, partOf, partAllowed, EVAL_SHARE_PER_MILLE, EVAL_ROLES } from './partition';
export { EVAL_SETS, type EvalSetChoice } from './eval-seeds';
export { ticketPhraseOf, promptPart, TICKET_SKILLS } from './ticket-phrase';
export { WORLD_CHARS } from './vocabulary';
export { TICK_PHRASES, TICK_TEMPLATES, ROUTE_PHRASES, ROUTE_TEMPLATES, TICKET_COHORTS, TICK_LABELS, ROUTE_TEAMS, PHRASE_GROUPS, MAX_TICKET_PROMPT } from './tickets';
export { TINY_WORLD_BASE_MODELS, type TinyWorldBaseModel } from './base-models';
export { pretrainBatch, PRETRAIN_SKILLS, LONGEST_PRETRAIN_LINE, type PretrainBatchSpec, type PackedSequence, type PackedLine } from './pretrain-stream';
