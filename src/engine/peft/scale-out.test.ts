// The scale-out bundle carries the run's hyperparameters into TRL/PEFT names, the dataset as JSONL, a script and a README.
import { describe, expect, it } from 'vitest';
import { scaleOutFiles, type ScaleOutRun } from './scale-out';
import { unzipBundle, zipBundle } from './zip';

const run: ScaleOutRun = {
  baseRepo: 'HuggingFaceTB/SmolLM2-135M', revision: 'abc123', runName: 'support-bot',
  datasetJsonl: '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n{"prompt":"2+2=","completion":"4"}',
  lora: { r: 8, lora_alpha: 16, lora_dropout: 0.05, target_modules: ['q_proj', 'v_proj'], use_rslora: true },
  learningRate: 2e-4, maxSteps: 300, batchSize: 4, gradAccumSteps: 2, warmupSteps: 10, schedule: 'cosine', weightDecay: 0.01, maxGradNorm: 1, maxSeqLen: 512, seed: 42,
};

describe('scale-out export', () => {
  it('zips dataset, TRL config, script and README with the run values', () => {
    const files = unzipBundle(zipBundle(scaleOutFiles(run)));
    expect(Object.keys(files).sort()).toEqual(['README.md', 'dataset.jsonl', 'train_sft.py', 'trl_config.json']);
    const text = (name: string) => new TextDecoder().decode(files[name]);
    expect(text('dataset.jsonl').trim().split('\n').map((l) => JSON.parse(l))).toHaveLength(2);
    const config = JSON.parse(text('trl_config.json'));
    expect(config).toMatchObject({ model_name_or_path: 'HuggingFaceTB/SmolLM2-135M', model_revision: 'abc123' });
    expect(config.sft).toMatchObject({ learning_rate: 2e-4, max_steps: 300, per_device_train_batch_size: 4, gradient_accumulation_steps: 2, lr_scheduler_type: 'cosine', seed: 42, max_length: 512 });
    expect(config.lora).toEqual({ r: 8, lora_alpha: 16, lora_dropout: 0.05, target_modules: ['q_proj', 'v_proj'], use_rslora: true, bias: 'none', task_type: 'CAUSAL_LM' });
    expect(text('train_sft.py')).toContain('SFTTrainer(');
    expect(text('README.md')).toContain('accelerate launch train_sft.py');
  });
});
