/**
 * The core types that the contract's responses and job payloads carry, named here so the renderer takes them
 * from the contract: lint lets it import nothing else from src-main/, and types only.
 */
export type { BuildEvent, BuildStep, LogStream } from '../../core/build/build-events';
export type { BuildOptions } from '../../core/build/run-build';
export type { RecentContext } from '../../core/files/recent-contexts';
export type { FileDifference } from '../../core/images/compare-files';
export type { ImageComparison } from '../../core/images/compare-images';
export type { ComparedLayer, LayerRow } from '../../core/images/compare-layers';
export type { ImageContainer } from '../../core/images/image-containers';
export type { ImageHistory } from '../../core/images/image-history';
export type { ImportResult } from '../../core/images/import-image';
export type { ImageSummary } from '../../core/images/inspect-image';
export type { ImageList, ImageRow } from '../../core/images/list-images';
export type { LoadResult } from '../../core/images/load-images';
export type { PrunePlan } from '../../core/images/prune-images';
export type { RemovalPlan } from '../../core/images/remove-image';
export type { SaveResult, TransferProgress } from '../../core/images/save-images';
export type { EntryKind } from '../../core/layers/layer-entry';
