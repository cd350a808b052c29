// Connects the worker jobs to the engine (src/engine/index.ts): builds models from a seed, trains, generates.
import { createModel, createTrainer, generate, LoraAdapter, modelDims, type CausalLM, type TrainerCheckpoint, type TrainOptions } from '../../src/engine/index';
import { evalModelOf } from '../../src/engine/eval/eval-model';
import { trainOptionsOf } from '../../src/engine/train/settings';
import { EngineTeacher } from '../../src/engine/teacher/engine-teacher';
import type { EnginePort, GenerateSetup, ModelSetup, PortTeacher, PortTrainer, TeacherSetup, TrainerSetup } from './engine-port';

/** The run's settings through the one converter; the setup's method wins (a pretraining run trains fully whatever it stored). */
function trainOptions(setup: TrainerSetup): TrainOptions {
  return trainOptionsOf({ ...setup.hyper, method: setup.method }, modelDims(setup.config).maxPositions, setup.initialAdapter);
}

function baseModel(setup: ModelSetup): CausalLM {
  return createModel(setup.config, setup.weights ?? { seed: setup.initSeed });
}

/** Disposing after a lost device can throw (the tensors' backend is gone); there is nothing left to free then. */
function disposeQuietly(...things: ({ dispose(): void } | null)[]): void {
  for (const thing of things) {
    try {
      thing?.dispose();
    } catch {
      // The GPU device went away with its buffers.
    }
  }
}

export async function loadEngine(): Promise<EnginePort> {
  return {
    async createTrainer(setup: TrainerSetup): Promise<PortTrainer> {
      const model = baseModel(setup);
      try {
        const trainer = createTrainer(model, setup.train, trainOptions(setup), setup.checkpoint as TrainerCheckpoint | undefined);
        await trainer.ready; // the step-0 probes must see the base the run trains on
        return {
          get step() {
            return trainer.stepCount;
          },
          async trainStep() {
            const s = await trainer.step();
            return { step: s.step, loss: s.loss, tokenAccuracy: s.tokenAccuracy, learningRate: s.lr, tokens: s.tokens, peakDeviceBytes: s.peakDeviceBytes, ...(s.dpo && { dpo: s.dpo }) };
          },
          evaluate: (examples) => trainer.evaluate(examples),
          checkpoint: () => trainer.checkpoint(),
          evalModel: () => evalModelOf(model, trainer.lora),
          dispose: () => disposeQuietly(trainer, model),
        };
      } catch (e) {
        disposeQuietly(model);
        throw e;
      }
    },

    async generate(setup: GenerateSetup): Promise<number[]> {
      const model = baseModel(setup);
      let lora: LoraAdapter | null = null;
      try {
        if (setup.tuned && setup.method === 'lora') lora = LoraAdapter.fromWeights(model.linearModules, setup.lora, setup.tuned);
        else if (setup.tuned) model.assignWeights(setup.tuned);
        const room = modelDims(setup.config).maxPositions - setup.promptIds.length;
        const result = await generate(model, setup.promptIds, {
          maxNewTokens: Math.max(1, Math.min(setup.maxTokens, room)),
          temperature: setup.temperature,
          seed: setup.seed,
          stopTokenIds: setup.stopIds,
          vocabLimit: setup.vocabLimit,
          onToken: (id) => setup.onToken(id),
          signal: setup.signal,
          lora,
        });
        return result.ids;
      } finally {
        disposeQuietly(lora, model);
      }
    },

    createTeacher(setup: TeacherSetup): PortTeacher {
      const model = baseModel(setup);
      let lora: LoraAdapter | null = null;
      try {
        if (setup.tuned && setup.method === 'lora') lora = LoraAdapter.fromWeights(model.linearModules, setup.lora, setup.tuned);
        else if (setup.tuned) model.assignWeights(setup.tuned);
        return { teacher: new EngineTeacher({ ...setup, model, lora }), dispose: () => disposeQuietly(lora, model) };
      } catch (e) {
        disposeQuietly(lora, model);
        throw e;
      }
    },
  };
}
