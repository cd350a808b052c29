// Public PEFT API: adapter export/import with lineage, merged weights, zip bundles and the scale-out export.
export { buildAdapterConfig, parseAdapterConfig, type PeftAdapterConfig } from './adapter-config';
export { exportPeftAdapter, readPeftAdapter, attachPeftAdapter, ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, type ImportedAdapter } from './adapter-files';
export { checkAdapterBase, readStamp, stampMetadata, type BaseStamp, type AdapterBaseClaims } from './base-check';
export { checkLineage, LINEAGE_FILE, TUNELAB_VERSION, type LineageManifest, type LineageInput } from './lineage';
export { mergedWeights, mergedCheckpointFiles } from './merged-export';
export { scaleOutFiles, trlConfig, type ScaleOutRun } from './scale-out';
export { zipBundle, unzipBundle, type FileBundle } from './zip';
