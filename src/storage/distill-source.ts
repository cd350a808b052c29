// The prompts a distillation teacher answers: a stored dataset split's prompts (with their record ids and reference answers) or Tiny World items of a skill; read by the GPU worker's job and by the page's web-llm generation alike.
import { DatasetStorageError, WorldSpecError } from '../engine/errors';
import { generateEvalSet, generateWorldDataset } from '../engine/world/dataset';
import { SKILL_NAMES } from '../engine/world/skills';
import type { SkillName } from '../engine/world/types';
import { datasetRowChunks, loadDataset } from './datasets';
import type { DistillPromptSource } from '../contract';

export interface DistillSourceItem {
  prompt: string;
  /** The source's own answer, when it has one (compared with the teacher's, never trained on). */
  reference?: string;
  /** A dataset row's record id: a distilled row keeps it, so forgetting that record finds the row's copy. */
  sourceRowId?: string;
}

export interface DistillSource {
  items: DistillSourceItem[];
  /** The source in words, for the new dataset's name and lineage. */
  label: string;
  /** The dataset the prompts came from (absent for Tiny World items). */
  dataset?: { id: string; sha256: string };
  /** The source's completions end with "\n" (Tiny World lines): a teacher's answer that stopped gets it too. */
  endsWithNewline: boolean;
}

/** Tiny World completions end at "\n"; the reference is compared without it. */
const stripNewline = (s: string) => s.replace(/\n$/, '');

async function datasetSource(source: Extract<DistillPromptSource, { kind: 'dataset' }>): Promise<DistillSource> {
  const dataset = await loadDataset(source.datasetId);
  if (!dataset) throw new DatasetStorageError('The dataset to take prompts from was deleted.', 'Pick another dataset.');
  const items: DistillSourceItem[] = [];
  let withNewline = 0;
  let withCompletion = 0;
  reading: for await (const chunk of datasetRowChunks(dataset)) {
    for (const row of chunk) {
      if (items.length >= source.limit) break reading;
      if (source.split !== 'all' && row.split !== source.split) continue;
      if (row.kind === 'text' || row.prompt.trim() === '') continue; // nothing to prompt with
      if (row.completion) {
        withCompletion++;
        if (row.completion.endsWith('\n')) withNewline++;
      }
      items.push({ prompt: row.prompt, sourceRowId: row.id, ...(row.completion ? { reference: stripNewline(row.completion) } : {}) });
    }
  }
  if (items.length === 0) throw new DatasetStorageError(`“${dataset.name}” has no rows with a prompt in its ${source.split === 'all' ? 'rows' : `${source.split} split`}.`, 'Pick a dataset of prompt/completion or chat rows, or another split.');
  return {
    items,
    label: `${source.split === 'all' ? 'all' : source.split} prompts of “${dataset.name}”`,
    dataset: { id: dataset.id, sha256: dataset.sha256 },
    endsWithNewline: withCompletion > 0 && withNewline === withCompletion,
  };
}

function worldSource(source: Extract<DistillPromptSource, { kind: 'world' }>): DistillSource {
  if (!(SKILL_NAMES as readonly string[]).includes(source.skill)) throw new WorldSpecError(`Tiny World has no skill “${source.skill}”.`, `Pick one of ${SKILL_NAMES.join(', ')}.`);
  const skill = source.skill as SkillName;
  const examples = source.split === 'eval' ? generateEvalSet(skill, source.count, source.seed) : generateWorldDataset({ mix: { [skill]: 1 }, size: source.count, split: 'train', seed: source.seed }).examples;
  return {
    items: examples.map((e) => ({ prompt: e.prompt, reference: stripNewline(e.completion) })),
    label: `Tiny World ${skill} (${source.split === 'eval' ? 'held-out' : 'training'} items, seed ${source.seed})`,
    endsWithNewline: true,
  };
}

/** The prompts of `source`, in order (a row's index is its position here). */
export async function distillSource(source: DistillPromptSource): Promise<DistillSource> {
  return source.kind === 'dataset' ? datasetSource(source) : worldSource(source);
}
