// Connects the worker jobs to the engine (src/engine/index.ts: createModel/createTrainer/generate/scoreTokens).
import { EngineUnavailableError } from '../../src/engine/errors';
import type { EnginePort } from './engine-port';

export async function loadEngine(): Promise<EnginePort> {
  throw new EngineUnavailableError(
    'The training engine is not part of this build yet.',
    'Importing and inspecting data works now; training and generation arrive with the engine.',
  );
}
