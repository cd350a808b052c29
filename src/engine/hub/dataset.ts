// Hub datasets by repo id: configs and splits from the Hub's Parquet conversion, and its files downloaded through the model cache.
import { HubDatasetError, HubDownloadError, JobCancelledError } from '../errors';
import type { HubFileCache, HubFileKey } from './cache';
import { fetchWithHubToken } from './auth';
import { downloadFile, type DownloadProgress } from './download';
import { validateRepoId } from './url';

/** The branch the Hub's parquet-converter writes each dataset's Parquet files to. */
export const PARQUET_REVISION = 'refs/convert/parquet';

export interface HubDatasetSplit {
  name: string;
  /** File names under {config}/{split}/ in the conversion branch, in order (0000.parquet, 0001.parquet, …). */
  files: string[];
}

export interface HubDatasetConfig {
  name: string;
  splits: HubDatasetSplit[];
}

export interface HubDatasetListing {
  repo: string;
  configs: HubDatasetConfig[];
}

export interface HubDatasetOptions {
  endpoint: string;
  fetch?: typeof fetch;
  /** The user's Hugging Face token: sent only to huggingface.co (auth.ts), for gated and private datasets. */
  token?: string | null;
  signal?: AbortSignal;
}

/** A config or split name as one path segment: what the converter writes (letters, digits, '-', '_', '.'), no "..". */
const SEGMENT = /^[A-Za-z0-9_.-]+$/;

function segment(name: string, what: string): string {
  if (!SEGMENT.test(name) || name === '.' || name === '..') throw new HubDatasetError(`The Hub listed a ${what} named "${name}", which TuneLab does not fetch.`, 'Choose another config or split.');
  return name;
}

const base = (endpoint: string) => endpoint.trim().replace(/\/+$/, '');

/** The listing: `GET {endpoint}/api/datasets/{repo}/parquet` answers {config: {split: [urls]}}. */
export function parquetListingUrl(endpoint: string, repo: string): string {
  return `${base(endpoint)}/api/datasets/${validateRepoId(repo)}/parquet`;
}

/** One converted file: `{endpoint}/datasets/{repo}/resolve/refs%2Fconvert%2Fparquet/{config}/{split}/{file}`. */
export function parquetFileUrl(endpoint: string, repo: string, config: string, split: string, file: string): string {
  return `${base(endpoint)}/datasets/${validateRepoId(repo)}/resolve/${encodeURIComponent(PARQUET_REVISION)}/${segment(config, 'config')}/${segment(split, 'split')}/${segment(file, 'file')}`;
}

/** The cache key of a converted file: the model cache's, under "datasets/owner/name" (so the Storage page lists it apart from models). */
export function parquetCacheKey(repo: string, config: string, split: string, file: string): HubFileKey {
  return { repo: `datasets/${repo}`, revision: PARQUET_REVISION, file: `${config}/${split}/${file}` };
}

/** A listed URL's file name in the branch: the API's ".../{n}.parquet" is the branch's zero-padded "{nnnn}.parquet". */
function fileNameOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  const last = url.split('?')[0].split('/').pop() ?? '';
  const n = /^(\d+)\.parquet$/.exec(last);
  if (n) return `${n[1].padStart(4, '0')}.parquet`;
  return last.endsWith('.parquet') && SEGMENT.test(last) ? last : null;
}

function gated(repo: string, status: number): HubDatasetError {
  return new HubDatasetError(
    `The Hub refused the dataset ${repo} (HTTP ${status}): it is gated or private.`,
    `Add your Hugging Face token (read access) under "Hugging Face token" on the Models page, and accept its terms on huggingface.co/datasets/${repo} (or ask for access), then try again; or download its Parquet files there and choose them as files above.`,
  );
}

/** The configs and splits of a dataset's Parquet conversion. Errors say which of: not found, no conversion, gated, offline. */
export async function listParquetSplits(repoId: string, options: HubDatasetOptions): Promise<HubDatasetListing> {
  const repo = validateRepoId(repoId);
  const doFetch = fetchWithHubToken(options.fetch ?? globalThis.fetch.bind(globalThis), options.token);
  let response: Response;
  try {
    response = await doFetch(parquetListingUrl(options.endpoint, repo), { signal: options.signal, cache: 'no-store' });
  } catch (error) {
    if (options.signal?.aborted) throw new JobCancelledError('Listing the dataset was cancelled.');
    throw new HubDatasetError(`Could not reach the Hub for ${repo}: ${(error as Error).message}.`, 'Check your connection (and the endpoint, if you changed it), then try again.');
  }
  if (response.status === 401 || response.status === 403) throw gated(repo, response.status);
  if (response.status === 404) {
    throw new HubDatasetError(
      `The Hub has no Parquet version of the dataset ${repo} (HTTP 404): either no dataset has this id, or it has no Parquet conversion (the Hub converts most public datasets; scripts-only and very large ones are not).`,
      'Check the id on huggingface.co/datasets; if the dataset exists, download its files there and choose them as files above.',
    );
  }
  if (!response.ok) throw new HubDatasetError(`Listing the Parquet files of ${repo} failed with HTTP ${response.status}.`, 'Try again later.');
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new HubDatasetError(`The Hub's answer for ${repo} is not JSON.`, 'Check the endpoint: it must be the Hub (https://huggingface.co) or a mirror of its API.');
  }
  const configs: HubDatasetConfig[] = [];
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [config, splits] of Object.entries(body as Record<string, unknown>)) {
      if (!SEGMENT.test(config) || !splits || typeof splits !== 'object' || Array.isArray(splits)) continue;
      const list: HubDatasetSplit[] = [];
      for (const [split, urls] of Object.entries(splits as Record<string, unknown>)) {
        if (!SEGMENT.test(split) || !Array.isArray(urls)) continue;
        const files = urls.map(fileNameOf).filter((f): f is string => f !== null);
        if (files.length > 0) list.push({ name: split, files });
      }
      if (list.length > 0) configs.push({ name: config, splits: list });
    }
  }
  if (configs.length === 0) {
    throw new HubDatasetError(`The dataset ${repo} has no Parquet conversion yet (the Hub listed no Parquet files).`, 'Try again later, or download its files on huggingface.co and choose them as files above.');
  }
  return { repo, configs };
}

export interface SplitDownloadOptions extends HubDatasetOptions {
  cache: HubFileCache | null;
  onProgress?: (p: DownloadProgress & { index: number; count: number }) => void;
}

/**
 * The bytes of one converted file, from the cache or downloaded (progress, cancel, resume, sha-256 against the Hub's
 * etag). Only a complete, verified file is cached, so a cancel or a failure leaves nothing half-written.
 */
export async function readParquetFile(repo: string, config: string, split: string, file: string, index: number, count: number, options: SplitDownloadOptions): Promise<Uint8Array> {
  const key = parquetCacheKey(repo, config, split, file);
  const hit = options.cache ? await options.cache.get(key) : null;
  const label = `${config}/${split}/${file}`;
  if (hit) {
    options.onProgress?.({ file: label, loaded: hit.bytes.length, total: hit.bytes.length, bytesPerSecond: 0, etaSeconds: 0, resumes: 0, fromCache: true, index, count });
    return hit.bytes;
  }
  let result;
  try {
    result = await downloadFile(parquetFileUrl(options.endpoint, repo, config, split, file), label, {
      fetch: fetchWithHubToken(options.fetch ?? globalThis.fetch.bind(globalThis), options.token),
      signal: options.signal,
      onProgress: (p) => options.onProgress?.({ ...p, index, count }),
    });
  } catch (error) {
    // The downloader's refusal names a model licence; a dataset's is its terms.
    if (error instanceof HubDownloadError && /HTTP (401|403)/.test(error.message)) throw gated(repo, Number(/HTTP (\d+)/.exec(error.message)?.[1]));
    throw error;
  }
  if (!result) throw new HubDatasetError(`The Hub listed ${label} of ${repo} but does not have it (HTTP 404).`, 'The conversion may be updating: try again in a few minutes.');
  await options.cache?.put(key, { bytes: result.bytes, etag: result.etag });
  return result.bytes;
}
