// The lineage manifest every exported adapter carries, and the check that refuses it on another base or tokenizer.
import { version as TUNELAB_VERSION } from '../../../package.json';
import { AdapterMismatchError } from '../errors';
import type { CheckpointIdentity } from '../hub/load';
import { LOCAL_REVISION } from '../hub/local-identity';
import type { LoraConfig } from '../lora/config';

export const LINEAGE_FILE = 'tunelab_lineage.json';
export { TUNELAB_VERSION };

export interface LineageManifest {
  format: 'tunelab-lineage/1';
  tunelabVersion: string;
  createdAt: string;
  base: CheckpointIdentity & { modelType: string };
  dataset: { name: string; sha256: string; exampleIds: string[] } | null;
  lora: LoraConfig;
  /** The run's full training options (learning rate, schedule, steps, batch, …). */
  training: Record<string, unknown>;
  seed: number;
  /** Metric name → value, from the run's last evaluation. */
  evalSummary: Record<string, number> | null;
  /** sha-256 of adapter_model.safetensors as exported. */
  adapterSha256: string;
}

export type LineageInput = Omit<LineageManifest, 'format' | 'tunelabVersion' | 'createdAt' | 'adapterSha256'>;

const short = (sha: string) => sha.slice(0, 12);
type BaseNames = Pick<CheckpointIdentity, 'repo' | 'revision' | 'commit' | 'weightsSha256' | 'nameSource'>;

/** "owner/name@commit (weights …)"; local files "name (local files, weights …)"; a Tiny World base pretrained here says so. */
export const describeBase = (b: BaseNames) => {
  const weights = `weights ${short(b.weightsSha256)}`;
  if (b.revision !== LOCAL_REVISION) return `${b.repo}@${b.commit ? short(b.commit) : b.revision} (${weights})`;
  return `${b.repo} (${b.nameSource === 'shipped' ? 'pretrained in this browser' : 'local files'}, ${weights})`;
};
/** How a message refers to the base an adapter is checked against: a Tiny World base is chosen, not loaded. */
export const baseNoun = (b: BaseNames) => (b.nameSource === 'shipped' ? 'the chosen base' : 'the loaded model');
/** What to do: pick the Tiny World base, load the local files with these weights, or load a Hub repo at its revision. */
const loadHint = (b: BaseNames) => {
  if (b.nameSource === 'shipped') return `Pick ${b.repo.replace(/^public\/models\//, '')} as the base model on the Models page first`;
  if (b.revision === LOCAL_REVISION) return `Load the local files of ${b.repo} (weights sha-256 ${short(b.weightsSha256)}…) first`;
  return `Load ${b.repo} at revision ${b.commit ?? b.revision} first`;
};

/** Refuses an adapter whose lineage names other base weights or another tokenizer, saying which and why. */
export function checkLineage(lineage: LineageManifest, base: CheckpointIdentity): void {
  if (lineage.base.weightsSha256 !== base.weightsSha256) {
    throw new AdapterMismatchError(
      `This adapter was trained on ${describeBase(lineage.base)}; ${baseNoun(base)} is ${describeBase(base)}.`,
      `${loadHint(lineage.base)}, then import the adapter.`,
    );
  }
  if (lineage.base.tokenizerSha256 !== base.tokenizerSha256) {
    throw new AdapterMismatchError(
      `This adapter was trained with tokenizer ${short(lineage.base.tokenizerSha256)}; the tokenizer.json of ${baseNoun(base)} is ${short(base.tokenizerSha256)}.`,
      'Load the tokenizer.json the adapter was trained with (same repository and revision).',
    );
  }
}
