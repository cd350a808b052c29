// Hub URLs: `{endpoint}/{repo}/resolve/{revision}/{file}`, with the endpoint configurable for mirrors and tests.
import { ModelConfigError } from '../errors';

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/** "owner/name" or "name": letters, digits, '-', '_', '.'; no "..", no leading or trailing separators. */
const REPO_ID = /^(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function validateRepoId(repo: string): string {
  const trimmed = repo.trim();
  if (!REPO_ID.test(trimmed) || trimmed.includes('..') || trimmed.length > 96) {
    throw new ModelConfigError(`"${repo}" is not a Hugging Face repository id.`, 'Type it as owner/name, e.g. HuggingFaceTB/SmolLM2-135M.');
  }
  return trimmed;
}

/** The resolve URL of one file; revision and file path segments are percent-encoded, '/' in a file path kept. */
export function hubFileUrl(endpoint: string, repo: string, revision: string, file: string): string {
  const base = endpoint.replace(/\/+$/, '');
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${base}/${validateRepoId(repo)}/resolve/${encodeURIComponent(revision)}/${path}`;
}
