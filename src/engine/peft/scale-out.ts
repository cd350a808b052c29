// A run exported for scale-out: dataset JSONL, a TRL SFT + PEFT config, a short Python script and a README.
import type { LoraConfig } from '../lora/config';
import type { FileBundle } from './zip';

export interface ScaleOutRun {
  baseRepo: string;
  revision: string;
  /** One JSON object per line, in TRL's dataset formats: {"messages": [...]} or {"prompt", "completion"} or {"text"}. */
  datasetJsonl: string;
  lora: LoraConfig;
  learningRate: number;
  maxSteps: number;
  batchSize: number;
  gradAccumSteps: number;
  warmupSteps: number;
  schedule: 'constant' | 'linear' | 'cosine';
  weightDecay: number;
  maxGradNorm: number;
  maxSeqLen: number;
  seed: number;
  runName: string;
}

const SCHEDULER = { constant: 'constant_with_warmup', linear: 'linear', cosine: 'cosine' } as const;

/** The TRL/PEFT hyperparameters as JSON: the script reads them, so the numbers live in one place. */
export function trlConfig(run: ScaleOutRun): Record<string, unknown> {
  return {
    model_name_or_path: run.baseRepo,
    model_revision: run.revision,
    dataset_file: 'dataset.jsonl',
    sft: {
      output_dir: `out/${run.runName}`,
      learning_rate: run.learningRate,
      max_steps: run.maxSteps,
      per_device_train_batch_size: run.batchSize,
      gradient_accumulation_steps: run.gradAccumSteps,
      warmup_steps: run.warmupSteps,
      lr_scheduler_type: SCHEDULER[run.schedule],
      weight_decay: run.weightDecay,
      max_grad_norm: run.maxGradNorm,
      max_length: run.maxSeqLen,
      seed: run.seed,
      optim: 'adamw_torch',
      logging_steps: 10,
      save_strategy: 'no',
      report_to: 'none',
    },
    lora: {
      r: run.lora.r,
      lora_alpha: run.lora.lora_alpha,
      lora_dropout: run.lora.lora_dropout,
      target_modules: run.lora.target_modules,
      use_rslora: run.lora.use_rslora ?? false,
      bias: 'none',
      task_type: 'CAUSAL_LM',
    },
  };
}

const SCRIPT = `"""Reproduces a TuneLab LoRA run with Hugging Face TRL + PEFT; scales across GPUs with \`accelerate launch\`."""
import json

from datasets import load_dataset
from peft import LoraConfig
from trl import SFTConfig, SFTTrainer

config = json.load(open("trl_config.json"))
dataset = load_dataset("json", data_files=config["dataset_file"], split="train")
trainer = SFTTrainer(
    model=config["model_name_or_path"],
    args=SFTConfig(**config["sft"], model_init_kwargs={"revision": config["model_revision"]}),
    train_dataset=dataset,
    peft_config=LoraConfig(**config["lora"]),
)
trainer.train()
# Writes adapter_config.json + adapter_model.safetensors: zip them (or pick both) and import them in TuneLab.
trainer.save_model(config["sft"]["output_dir"])
`;

function readme(run: ScaleOutRun): string {
  return `# ${run.runName}: TuneLab run exported for Hugging Face TRL

Base model: \`${run.baseRepo}\` at revision \`${run.revision}\`. LoRA r=${run.lora.r}, alpha=${run.lora.lora_alpha},
targets ${run.lora.target_modules.join(', ')}; ${run.maxSteps} steps at learning rate ${run.learningRate}.

## Run it

\`\`\`sh
pip install "trl>=0.19" "peft>=0.15" datasets accelerate
python train_sft.py                      # one GPU or CPU
accelerate config && accelerate launch train_sft.py   # several GPUs or machines
\`\`\`

Hyperparameters are in \`trl_config.json\`; the examples in \`dataset.jsonl\` (TRL reads \`messages\`,
\`prompt\`/\`completion\` and \`text\` rows; chat rows are rendered with the model's own chat template).

## Bring the adapter back

The run writes \`adapter_config.json\` and \`adapter_model.safetensors\` to \`out/${run.runName}/\`. In TuneLab,
load \`${run.baseRepo}\` on the Models page, then import those two files (or a zip of them) as an adapter.
TuneLab refuses an adapter trained for another base model, and says which one it was trained on.

Numbers will not match TuneLab's run bit for bit (different kernels, data order and dropout draws), but the
hyperparameters are the same.
`;
}

export function scaleOutFiles(run: ScaleOutRun): FileBundle {
  const enc = new TextEncoder();
  return {
    'dataset.jsonl': enc.encode(run.datasetJsonl.endsWith('\n') ? run.datasetJsonl : run.datasetJsonl + '\n'),
    'trl_config.json': enc.encode(JSON.stringify(trlConfig(run), null, 2) + '\n'),
    'train_sft.py': enc.encode(SCRIPT),
    'README.md': enc.encode(readme(run)),
  };
}
