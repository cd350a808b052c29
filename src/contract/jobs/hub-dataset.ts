// Hub dataset jobs: which repo, config and split (from the Hub's Parquet conversion) to preview or import, and the listing.
import type { HubDatasetConfig, HubDatasetListing, HubDatasetSplit } from '../../engine/hub/dataset';
import type { TableMapping } from '../../engine/data/parquet';

export type { HubDatasetConfig, HubDatasetListing, HubDatasetSplit };

export interface HubDatasetInput {
  repo: string;
  /** The Hub (https://huggingface.co) or a mirror of its API. */
  endpoint: string;
  config: string;
  split: string;
}

export interface HubDatasetImportInput extends HubDatasetInput {
  mapping: TableMapping;
  splitSeed: number;
}
