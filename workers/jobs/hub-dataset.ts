// Jobs: a Hub dataset's Parquet conversion listed, one split previewed (its first file downloaded and cached), or imported whole.
import type { DatasetPreview, HubDatasetImportInput, HubDatasetInput, HubDatasetListing, ParseProgress } from '../../src/contract';
import { bytesBuffer, readParquetInfo } from '../../src/engine/data/parquet';
import { HubDatasetError, JobCancelledError } from '../../src/engine/errors';
import { listParquetSplits, readParquetFile, type SplitDownloadOptions } from '../../src/engine/hub/dataset';
import { DatasetWriter } from '../../src/storage/dataset-writer';
import { readHubToken } from '../../src/storage/hub-token';
import { browserModelCache } from '../../src/storage/model-cache';
import type { DatasetSummary } from '../../src/contract';
import { parseParquetParts, previewOf, storeParsed } from './parse-dataset';

const BAD_LINES_KEPT = 200;

export async function hubDatasetSplits(repo: string, endpoint: string): Promise<HubDatasetListing> {
  return listParquetSplits(repo, { endpoint, token: await readHubToken() });
}

/** The split's file names (listed again, so the job needs only the ids). */
async function splitFiles(input: HubDatasetInput, signal: AbortSignal): Promise<string[]> {
  const listing = await listParquetSplits(input.repo, { endpoint: input.endpoint, signal, token: await readHubToken() });
  const files = listing.configs.find((c) => c.name === input.config)?.splits.find((s) => s.name === input.split)?.files;
  if (!files) throw new HubDatasetError(`The dataset ${input.repo} has no split "${input.split}" in config "${input.config}".`, 'Choose one of the listed configs and splits.');
  return files;
}

async function downloadOptions(input: HubDatasetInput, signal: AbortSignal, progress: (p: ParseProgress) => void): Promise<SplitDownloadOptions> {
  return {
    endpoint: input.endpoint,
    token: await readHubToken(), // read here, never passed in the job's input
    signal,
    cache: browserModelCache(),
    onProgress: (p) => progress({ bytesRead: p.loaded, totalBytes: p.total ?? p.loaded, lines: 0, rowsSaved: 0, phase: 'download', part: { index: p.index, count: p.count } }),
  };
}

/** Downloads (or reads from the cache) the split's first file and previews it. */
export async function hubDatasetPreviewJob(input: HubDatasetInput, signal: AbortSignal, progress: (p: ParseProgress) => void): Promise<DatasetPreview> {
  const files = await splitFiles(input, signal);
  const bytes = await readParquetFile(input.repo, input.config, input.split, files[0], 1, files.length, await downloadOptions(input, signal, progress));
  const file = bytesBuffer(bytes);
  return previewOf(file, await readParquetInfo(file));
}

/**
 * Downloads every file of the split into the cache first (so a cancel or a network failure stores no dataset, and
 * finished files are kept for next time), then reads them one at a time into the chunked dataset store.
 */
export async function hubDatasetImportJob(input: HubDatasetImportInput, signal: AbortSignal, progress: (p: ParseProgress) => void): Promise<DatasetSummary> {
  const files = await splitFiles(input, signal);
  const options = await downloadOptions(input, signal, progress);
  const sizes: number[] = [];
  // Without Cache Storage the bytes are kept in memory between the two passes.
  const held = new Map<string, Uint8Array>();
  try {
    for (let i = 0; i < files.length; i++) {
      const bytes = await readParquetFile(input.repo, input.config, input.split, files[i], i + 1, files.length, options);
      sizes.push(bytes.length);
      if (!options.cache) held.set(files[i], bytes);
    }
  } catch (error) {
    if (signal.aborted) throw new JobCancelledError('Import cancelled while downloading; nothing was saved.', 'The files that finished are kept in the cache: importing the split again downloads only the rest.');
    throw error;
  }
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  let bytesRead = 0;
  let lines = 0;
  let rowsSaved = 0;
  const report = () => progress({ bytesRead, totalBytes, lines, rowsSaved, phase: 'read', part: { index: files.length, count: files.length } });
  const name = `${input.repo} (${input.config}/${input.split})`;
  const writer = new DatasetWriter({ name, source: 'hub', format: 'parquet', splitSeed: input.splitSeed }, (saved) => {
    rowsSaved = saved;
    report();
  });
  const quiet = { ...options, onProgress: undefined };
  const parts = files.map((file, i) => async () => bytesBuffer(held.get(file) ?? (await readParquetFile(input.repo, input.config, input.split, file, i + 1, files.length, quiet))));
  return storeParsed(writer, 'parquet', signal, (onRecord) =>
    parseParquetParts(parts, input.mapping, {
      maxBadLines: BAD_LINES_KEPT,
      signal,
      onRecord,
      onBytes: (bytes) => (bytesRead = bytes),
      onProgress: (p) => {
        lines = p.lines;
        report();
      },
    }),
  );
}
