// A run exported for scale-out: dataset JSONL, a TRL SFT or DPO + PEFT config, a short Python script and a README that reproduce it.
import type { LoraConfig } from '../lora/config';
import type { DatasetRecord } from '../data/record';
import { ScaleOutError } from '../errors';
import { scaleOutDataset, type ScaleOutDataset } from './scale-out-data';
import type { FileBundle } from './zip';

export interface ScaleOutRun {
  baseRepo: string;
  /** The commit the browser run loaded: weights, config, tokenizer and chat template are all pinned to it. */
  revision: string;
  /** The base's `model_type`: GPT-2 stores its linear layers as Conv1D, which PEFT needs told (`fan_in_fan_out`). */
  modelType: string;
  /** The training split as TuneLab trained it; checked and written by scaleOutDataset. */
  records: readonly DatasetRecord[];
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
  gradientCheckpointing: boolean;
  /** SFT (TRL's SFTTrainer) or DPO (its DPOTrainer, the reference being the base with the adapter off, as in TuneLab). */
  objective: 'sft' | 'dpo';
  /** DPO's β and label smoothing (TRL's `beta`, `label_smoothing`); used when `objective` is 'dpo'. */
  dpoBeta: number;
  dpoLabelSmoothing: number;
  runName: string;
}

/** The versions the script was written against and the README installs; the argument names are tested against them. */
export const SCALE_OUT_VERSIONS = { trl: '1.9.0', peft: '0.20.0', transformers: '>=4.56.2,!=5.1.0' } as const;

const SCHEDULER = { constant: 'constant_with_warmup', linear: 'linear', cosine: 'cosine' } as const;

/** The trainer arguments both objectives share (transformers' TrainingArguments names). */
function trainingArguments(run: ScaleOutRun): Record<string, unknown> {
  return {
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
    // The browser trains in float32: TRL would otherwise default to bf16 (and refuse to start on CPUs and pre-Ampere GPUs).
    bf16: false,
    fp16: false,
    // TRL turns checkpointing on by default; it changes memory, not the numbers, so it follows the run.
    gradient_checkpointing: run.gradientCheckpointing,
  };
}

/** The trainer section's name in trl_config.json and the script: `sft` or `dpo`. */
const sectionOf = (run: ScaleOutRun) => (run.objective === 'dpo' ? 'dpo' : 'sft');

/** The TRL/PEFT hyperparameters as JSON: the script reads them, so the numbers live in one place. */
export function trlConfig(run: ScaleOutRun, kind: ScaleOutDataset['kind'] = 'prompt-completion'): Record<string, unknown> {
  const trainer =
    run.objective === 'dpo'
      ? // TRL's sigmoid loss on summed completion log-probs, cDPO smoothing, the adapter-off model as reference: TuneLab's DPO.
        { ...trainingArguments(run), beta: run.dpoBeta, label_smoothing: run.dpoLabelSmoothing, loss_type: ['sigmoid'] }
      : {
          ...trainingArguments(run),
          // The loss on what TuneLab trained: completions only, or assistant turns only (chat); plain text is trained whole.
          ...(kind === 'prompt-completion' && { completion_only_loss: true }),
          ...(kind === 'messages' && { assistant_only_loss: true }),
        };
  return {
    model_name_or_path: run.baseRepo,
    model_revision: run.revision,
    dataset_file: 'dataset.jsonl',
    [sectionOf(run)]: { ...trainer, logging_steps: 10, save_strategy: 'no', report_to: 'none' },
    lora: {
      r: run.lora.r,
      lora_alpha: run.lora.lora_alpha,
      lora_dropout: run.lora.lora_dropout,
      target_modules: run.lora.target_modules,
      use_rslora: run.lora.use_rslora ?? false,
      // GPT-2's linear layers are Conv1D with the weight stored (in, out); PEFT only warns and fixes it otherwise.
      fan_in_fan_out: run.modelType === 'gpt2',
      bias: 'none',
      task_type: 'CAUSAL_LM',
    },
  };
}

/** The script's opening: settings, the global batch kept on several GPUs, the model and tokenizer at the run's commit. */
const scriptHead = (section: string, imports: string) => `"""Reproduces a TuneLab LoRA run with Hugging Face TRL + PEFT (the versions README.md pins); scales out with accelerate."""
import argparse
import json
import os

import torch
from datasets import load_dataset
from peft import LoraConfig
from transformers import AutoModelForCausalLM, AutoTokenizer
${imports}

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--grow-batch", action="store_true", help="on several GPUs, keep the per-GPU batch and let the global batch grow")
cli = parser.parse_args()

config = json.load(open("trl_config.json"))
train = dict(config["${section}"])

# The global batch is per_device_train_batch_size x gradient_accumulation_steps x GPUs. TuneLab trained on one device,
# so on N GPUs the accumulation (or else the per-GPU batch) is divided by N to keep the run's global batch.
world = int(os.environ.get("WORLD_SIZE", "1"))
if world > 1 and not cli.grow_batch:
    batch, accumulation = train["per_device_train_batch_size"], train["gradient_accumulation_steps"]
    if accumulation % world == 0:
        train["gradient_accumulation_steps"] = accumulation // world
    elif batch % world == 0:
        train["per_device_train_batch_size"] = batch // world
    else:
        raise SystemExit(
            f"The run's global batch of {batch * accumulation} ({batch} x {accumulation} accumulation) does not split over "
            f"{world} GPUs. Launch on a GPU count that divides it, or pass --grow-batch to train with a global batch of "
            f"{batch * accumulation * world} (not the run TuneLab trained)."
        )

# Weights, config, tokenizer and chat template all come from the commit TuneLab trained, in float32 as in the browser.
repo, revision = config["model_name_or_path"], config["model_revision"]
tokenizer = AutoTokenizer.from_pretrained(repo, revision=revision)
model = AutoModelForCausalLM.from_pretrained(repo, revision=revision, dtype=torch.float32)

`;

/** The script's end: the rows, the trainer (`SFT` or `DPO`) on the loaded model with the LoRA config, training, the adapter saved. */
const trainAndSave = (kind: 'SFT' | 'DPO') => `dataset = load_dataset("json", data_files=config["dataset_file"], split="train")
trainer = ${kind}Trainer(
    model=model,
    args=${kind}Config(**train),
    train_dataset=dataset,
    processing_class=tokenizer,
    peft_config=LoraConfig(**config["lora"]),
)
trainer.train()
# Writes adapter_config.json + adapter_model.safetensors: zip them (or pick both) and import them in TuneLab.
trainer.save_model(train["output_dir"])
`;

const SFT_SCRIPT =
  scriptHead('sft', 'from trl import SFTConfig, SFTTrainer\nfrom trl.chat_template_utils import get_training_chat_template, has_generation_markers') +
  `# TuneLab trained chat rows on the assistant turns only; TRL can do that only for templates it can mark.
if train.get("assistant_only_loss") and not has_generation_markers(tokenizer.chat_template or ""):
    if tokenizer.chat_template is None:
        raise SystemExit(f"{repo} has no chat template, so TRL cannot render the chat rows. Export prompt/completion rows instead.")
    try:
        get_training_chat_template(tokenizer)
    except ValueError as error:
        raise SystemExit(
            f"TRL cannot train only the assistant turns with {repo}'s chat template ({error}). Training every token "
            "would not reproduce the TuneLab run: add {% generation %} markers around the assistant turns of the "
            "template (TRL's docs: assistant_only_loss), or export prompt/completion rows instead."
        )

` + trainAndSave('SFT');

const DPO_SCRIPT =
  scriptHead('dpo', 'from trl import DPOConfig, DPOTrainer') +
  `# No ref_model: with a PEFT adapter TRL scores the reference with the adapter disabled, as TuneLab does.\n` + trainAndSave('DPO');

/** What the script trains on, per objective. */
const WHAT_IS_TRAINED = {
  sft: `Only what TuneLab trained: the completion of prompt/completion rows (\`completion_only_loss\`), the assistant turns of
chat rows (\`assistant_only_loss\`; TRL needs a chat template it can mark, and the script stops with the reason if the
model's template is not one), whole text rows. A dataset that mixed row formats, or weighted some assistant turns below 1,
is refused at export: TRL reads one format per file and has no per-message weight.`,
  dpo: (run: ScaleOutRun) => `TRL's DPOTrainer with the sigmoid loss TuneLab used: β = ${run.dpoBeta}, label smoothing ${run.dpoLabelSmoothing} (cDPO), log-probs
summed over each answer's tokens, and the reference model being the base with the LoRA adapter switched off (no
\`ref_model\` is passed, so TRL does exactly that). The rows are \`{"prompt", "chosen", "rejected"}\` pairs in one form
(text or chat) per file.`,
};

const scriptName = (run: ScaleOutRun) => `train_${sectionOf(run)}.py`;

function readme(run: ScaleOutRun): string {
  const global = run.batchSize * run.gradAccumSteps;
  const script = scriptName(run);
  return `# ${run.runName}: TuneLab run exported for Hugging Face TRL

Base model: \`${run.baseRepo}\` at revision \`${run.revision}\` (weights, config, tokenizer and chat template).
LoRA r=${run.lora.r}, alpha=${run.lora.lora_alpha}, targets ${run.lora.target_modules.join(', ')}; ${run.maxSteps} steps at
learning rate ${run.learningRate}, float32 (no bf16/fp16), as TuneLab trained it.

## Run it

\`\`\`sh
pip install "trl==${SCALE_OUT_VERSIONS.trl}" "peft==${SCALE_OUT_VERSIONS.peft}" "transformers${SCALE_OUT_VERSIONS.transformers}" datasets accelerate
python ${script}                                     # one GPU, or the CPU
accelerate config && accelerate launch ${script}     # several GPUs or machines
\`\`\`

The script was written against TRL ${SCALE_OUT_VERSIONS.trl} and PEFT ${SCALE_OUT_VERSIONS.peft}; its argument names are
checked against those versions. Hyperparameters are in \`trl_config.json\`, the training rows in \`dataset.jsonl\`.

## Several GPUs: the same global batch

The global batch is \`per_device_train_batch_size × gradient_accumulation_steps × GPUs\`. This run's is
${run.batchSize} × ${run.gradAccumSteps} × 1 = ${global} examples per step. On N GPUs the script divides the accumulation by N (or,
if N does not divide it, the per-GPU batch), so each step still sees ${global} examples and the learning-rate schedule
means the same thing; if neither divides it stops and says so. \`--grow-batch\` keeps the per-GPU numbers instead, for a
global batch of ${global} × N: faster, but a different run.

## What is trained

${run.objective === 'dpo' ? WHAT_IS_TRAINED.dpo(run) : WHAT_IS_TRAINED.sft}

## Bring the adapter back

The run writes \`adapter_config.json\` and \`adapter_model.safetensors\` to \`out/${run.runName}/\`. In TuneLab,
load \`${run.baseRepo}\` on the Models page, then import those two files (or a zip of them) as an adapter.
TuneLab refuses an adapter trained for another base model, and says which one it was trained on.

Numbers will not match TuneLab's run bit for bit (different kernels, data order and dropout draws), but the model,
precision, data, loss mask, schedule and hyperparameters are the same.
`;
}

export function scaleOutFiles(run: ScaleOutRun): FileBundle {
  const enc = new TextEncoder();
  const data = scaleOutDataset(run.records);
  const dpo = run.objective === 'dpo';
  if (dpo !== (data.kind === 'preference')) {
    throw new ScaleOutError(
      dpo ? 'A DPO run exports preference pairs, but these rows are not {"prompt", "chosen", "rejected"} pairs.' : 'Preference pairs export with a DPO run; an SFT run exports the rows it trained on.',
      'Export the run on the dataset it trained on.',
    );
  }
  return {
    'dataset.jsonl': enc.encode(data.jsonl),
    'trl_config.json': enc.encode(JSON.stringify(trlConfig(run, data.kind), null, 2) + '\n'),
    [scriptName(run)]: enc.encode(dpo ? DPO_SCRIPT : SFT_SCRIPT),
    'README.md': enc.encode(readme(run)),
  };
}
