// Public Hub API: load checkpoints from the Hub or local files, check them, and estimate GPU memory.
export { DEFAULT_HUB_ENDPOINT, hubFileUrl, validateRepoId } from './url';
export { MemoryHubFileCache, type HubFileCache, type HubFileKey, type CachedFile } from './cache';
export { downloadFile, type DownloadOptions, type DownloadProgress, type DownloadResult } from './download';
export { HubSource, LocalFilesSource, type CheckpointSource, type HubSourceOptions, type LocalFileLike } from './source';
export { parseModelConfig, SUPPORTED_ARCHITECTURES } from './architecture';
export { checkWeightShapes, checkpointNameOf, type ShapeMap } from './weight-check';
export { loadCheckpoint, type LoadedCheckpoint, type CheckpointIdentity } from './load';
export { checkGpuFit, assertGpuFit, formatBytes, type GpuLimits, type GpuFitReport } from './memory-fit';
export { sha256OfBytes } from './hash';
export { localModelName, LOCAL_REVISION, type NameSource } from './local-identity';
