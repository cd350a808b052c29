// The scale-out bundle carries the run into TRL/PEFT faithfully: float32, the loss mask TuneLab trained, every file pinned
// to the run's revision, the global batch kept on several GPUs, and only argument names the pinned versions define.
import { describe, expect, it } from 'vitest';
import type { DatasetRecord } from '../data/record';
import { ScaleOutError } from '../errors';
import names from './fixtures/trl-peft-names.json';
import { SCALE_OUT_VERSIONS, scaleOutFiles, type ScaleOutRun } from './scale-out';
import { unzipBundle, zipBundle } from './zip';

const chat = (line: number, weight?: number): DatasetRecord => ({
  kind: 'messages',
  line,
  messages: [{ role: 'user', content: 'hi', weight: 0 }, { role: 'assistant', content: 'hello', ...(weight !== undefined && { weight }) }],
});
const pc = (line: number): DatasetRecord => ({ kind: 'prompt-completion', line, prompt: '2+2=', completion: '4' });
const pair = (line: number, chat = false): DatasetRecord =>
  chat
    ? { kind: 'preference', line, prompt: [{ role: 'user', content: '2+2?' }], chosen: [{ role: 'assistant', content: '4' }], rejected: [{ role: 'assistant', content: '5' }] }
    : { kind: 'preference', line, prompt: '2+2=', chosen: '4', rejected: '5' };

const run: ScaleOutRun = {
  baseRepo: 'HuggingFaceTB/SmolLM2-135M', revision: 'abc123', modelType: 'llama', runName: 'support-bot',
  records: [chat(1, 1), chat(2)],
  lora: { r: 8, lora_alpha: 16, lora_dropout: 0.05, target_modules: ['q_proj', 'v_proj'], use_rslora: true },
  learningRate: 2e-4, maxSteps: 300, batchSize: 4, gradAccumSteps: 2, warmupSteps: 10, schedule: 'cosine', weightDecay: 0.01,
  maxGradNorm: 1, maxSeqLen: 512, seed: 42, gradientCheckpointing: false, objective: 'sft', dpoBeta: 0.1, dpoLabelSmoothing: 0,
};

const dpoRun: ScaleOutRun = { ...run, objective: 'dpo', dpoBeta: 0.25, dpoLabelSmoothing: 0.1, records: [pair(1), pair(2)] };

function bundle(r: ScaleOutRun) {
  const files = unzipBundle(zipBundle(scaleOutFiles(r)));
  const text = (name: string) => new TextDecoder().decode(files[name]);
  return { files, text, config: JSON.parse(text('trl_config.json')) as { sft: Record<string, unknown>; dpo: Record<string, unknown>; lora: Record<string, unknown> } & Record<string, unknown> };
}

/** Keyword names passed to `Callee(` in the Python script (one level of parentheses, as the script writes its calls). */
function keywordsOf(script: string, callee: string): string[] {
  const found: string[] = [];
  for (const call of script.matchAll(new RegExp(`${callee.replace('.', '\\.')}\\(([^()]*(?:\\([^()]*\\)[^()]*)*)\\)`, 'g'))) {
    for (const kw of call[1].matchAll(/(?:^|[,(\s])([A-Za-z_]\w*)=(?!=)/g)) found.push(kw[1]);
  }
  return found;
}

describe('scale-out export', () => {
  it('zips dataset, TRL config, script and README with the run values', () => {
    const { files, text, config } = bundle(run);
    expect(Object.keys(files).sort()).toEqual(['README.md', 'dataset.jsonl', 'train_sft.py', 'trl_config.json']);
    const rows = text('dataset.jsonl').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toEqual([
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] },
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] },
    ]);
    expect(config).toMatchObject({ model_name_or_path: 'HuggingFaceTB/SmolLM2-135M', model_revision: 'abc123' });
    expect(config.sft).toMatchObject({ learning_rate: 2e-4, max_steps: 300, per_device_train_batch_size: 4, gradient_accumulation_steps: 2, lr_scheduler_type: 'cosine', seed: 42, max_length: 512 });
    expect(config.lora).toEqual({ r: 8, lora_alpha: 16, lora_dropout: 0.05, target_modules: ['q_proj', 'v_proj'], use_rslora: true, fan_in_fan_out: false, bias: 'none', task_type: 'CAUSAL_LM' });
    expect(text('train_sft.py')).toContain('SFTTrainer(');
    expect(text('README.md')).toContain('accelerate launch train_sft.py');
  });

  it('trains in float32 like the browser, never left to TRL’s bf16 default', () => {
    expect(bundle(run).config.sft).toMatchObject({ bf16: false, fp16: false, gradient_checkpointing: false });
    expect(bundle(run).text('train_sft.py')).toContain('dtype=torch.float32');
  });

  it('masks the loss as TuneLab did: assistant turns of chat rows, completions of prompt/completion rows, whole text rows', () => {
    expect(bundle(run).config.sft).toMatchObject({ assistant_only_loss: true });
    expect(bundle(run).config.sft).not.toHaveProperty('completion_only_loss');
    const completions = bundle({ ...run, records: [pc(1), pc(2)] }).config.sft;
    expect(completions).toMatchObject({ completion_only_loss: true });
    expect(completions).not.toHaveProperty('assistant_only_loss');
    const text = bundle({ ...run, records: [{ kind: 'text', line: 1, text: 'abc' }] }).config.sft;
    expect(text).not.toHaveProperty('assistant_only_loss');
    expect(text).not.toHaveProperty('completion_only_loss');
    // The script stops with the reason when TRL cannot mark the model's chat template.
    expect(bundle(run).text('train_sft.py')).toMatch(/get_training_chat_template\(tokenizer\)\s+except ValueError/);
  });

  it('refuses a dataset mixing chat and prompt/completion rows, naming the lines (TRL reads one format per file)', () => {
    expect(() => scaleOutFiles({ ...run, records: [chat(1), pc(2), pc(3)] })).toThrow(ScaleOutError);
    expect(() => scaleOutFiles({ ...run, records: [chat(1), pc(2), pc(3)] })).toThrow(/1 conversational row \(line 1\), 2 prompt-completion rows \(lines 2, 3\)/);
  });

  it('refuses assistant turns weighted below 1 (TRL would train them), and drops weights TRL would ignore', () => {
    expect(() => scaleOutFiles({ ...run, records: [chat(1), chat(7, 0)] })).toThrow(/line 7\)/);
    expect(() => scaleOutFiles({ ...run, records: [chat(1), chat(7, 0.5)] })).toThrow(ScaleOutError);
    expect(bundle(run).text('dataset.jsonl')).not.toContain('weight');
  });

  it('pins config, tokenizer and chat template to the run’s revision, not only the weights', () => {
    const script = bundle(run).text('train_sft.py');
    const loads = [...script.matchAll(/(AutoTokenizer|AutoModelForCausalLM)\.from_pretrained\(([^)]*)\)/g)];
    expect(loads.map((m) => m[1]).sort()).toEqual(['AutoModelForCausalLM', 'AutoTokenizer']);
    for (const m of loads) expect(m[2]).toContain('revision=revision');
    // The trainer gets the loaded model and tokenizer, so TRL never loads anything from `main` by name.
    expect(script).toMatch(/model=model,/);
    expect(script).toMatch(/processing_class=tokenizer,/);
    expect(script).not.toContain('model_init_kwargs');
  });

  it('keeps the global batch on N GPUs (accumulation ÷ N, else batch ÷ N) and the README gives the arithmetic', () => {
    const { text } = bundle(run);
    expect(text('train_sft.py')).toContain('train["gradient_accumulation_steps"] = accumulation // world');
    expect(text('train_sft.py')).toContain('train["per_device_train_batch_size"] = batch // world');
    expect(text('README.md')).toContain('4 × 2 × 1 = 8 examples per step');
    expect(text('README.md')).toContain('--grow-batch');
  });

  it('tells PEFT that GPT-2’s Conv1D layers store weights fan-in × fan-out', () => {
    expect(bundle({ ...run, modelType: 'gpt2', lora: { ...run.lora, target_modules: ['c_attn'] } }).config.lora).toMatchObject({ fan_in_fan_out: true });
  });

  it('uses only argument names that the pinned TRL, PEFT and transformers define', () => {
    expect(bundle(run).text('README.md')).toContain(`trl==${SCALE_OUT_VERSIONS.trl}`);
    expect(bundle(run).text('README.md')).toContain(`peft==${SCALE_OUT_VERSIONS.peft}`);
    const sftNames = new Set([...names.sftConfig, ...names.trainingArguments]);
    for (const records of [[chat(1)], [pc(1)], [{ kind: 'text' as const, line: 1, text: 'abc' }]]) {
      const { config } = bundle({ ...run, records, modelType: 'gpt2' });
      for (const key of Object.keys(config.sft)) expect(sftNames, `SFTConfig(${key}=…)`).toContain(key);
      for (const key of Object.keys(config.lora)) expect(names.loraConfig, `LoraConfig(${key}=…)`).toContain(key);
    }
    const script = bundle(run).text('train_sft.py');
    const trainerKeywords = keywordsOf(script, 'SFTTrainer');
    expect(trainerKeywords.sort()).toEqual(['args', 'model', 'peft_config', 'processing_class', 'train_dataset']);
    for (const kw of trainerKeywords) expect(names.sftTrainer).toContain(kw);
    for (const kw of [...keywordsOf(script, 'AutoTokenizer.from_pretrained'), ...keywordsOf(script, 'AutoModelForCausalLM.from_pretrained')]) expect(names.fromPretrained).toContain(kw);
    for (const imported of script.match(/from trl\.chat_template_utils import (.+)/)![1].split(', ')) expect(names.chatTemplateUtils).toContain(imported.trim());
  });

  it('a DPO run exports TRL DPOTrainer with its β, smoothing and sigmoid loss, the adapter-off reference, and the pairs', () => {
    const { files, text, config } = bundle(dpoRun);
    expect(Object.keys(files).sort()).toEqual(['README.md', 'dataset.jsonl', 'train_dpo.py', 'trl_config.json']);
    expect(config).not.toHaveProperty('sft');
    expect(config.dpo).toMatchObject({ beta: 0.25, label_smoothing: 0.1, loss_type: ['sigmoid'], bf16: false, fp16: false, learning_rate: 2e-4, max_steps: 300 });
    expect(text('dataset.jsonl').trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ prompt: '2+2=', chosen: '4', rejected: '5' }, { prompt: '2+2=', chosen: '4', rejected: '5' }]);
    const script = text('train_dpo.py');
    expect(script).toContain('train = dict(config["dpo"])');
    // No reference model is passed: with a PEFT adapter TRL uses the adapter-disabled model, as TuneLab does.
    expect(keywordsOf(script, 'DPOTrainer').sort()).toEqual(['args', 'model', 'peft_config', 'processing_class', 'train_dataset']);
    for (const kw of keywordsOf(script, 'DPOTrainer')) expect(names.dpoTrainer).toContain(kw);
    for (const key of Object.keys(config.dpo)) expect(new Set([...names.dpoConfig, ...names.trainingArguments]), `DPOConfig(${key}=…)`).toContain(key);
    expect(text('README.md')).toContain('accelerate launch train_dpo.py');
    expect(text('README.md')).toContain('β = 0.25');
  });

  it('refuses preference pairs mixing text and chat forms, and pairs on an SFT run (or plain rows on a DPO run)', () => {
    expect(() => scaleOutFiles({ ...dpoRun, records: [pair(1), pair(4, true)] })).toThrow(/chat on line 4/);
    expect(() => scaleOutFiles({ ...dpoRun, records: [pc(1)] })).toThrow(ScaleOutError);
    expect(() => scaleOutFiles({ ...run, records: [pair(1)] })).toThrow(ScaleOutError);
  });
});
