import type { ArchiveLayout } from './archive-manifest';
import type { CachedAnalysis, LayersSource } from './analysis-cache';
import type { InefficientFile } from './dive-efficiency';
import type { LayerSummary } from './image-analysis';
import { summarizeLayerChanges } from './layer-changes';
import type { ReclaimableFile } from './reclaimable';

/** How many inefficient and reclaimable files a summary carries (the rest are counted, not sent). */
export const INEFFICIENT_FILES_SENT = 500;

/** One layer in the Files view's layer list: core's layer summary plus what it changed. */
export interface LayerListItem extends LayerSummary {
  /** Files (not folders) this layer added, modified and removed against the layer below. */
  readonly added: number;
  readonly modified: number;
  readonly removed: number;
}

/** The figures of an analysis, without its file tree. */
export interface LayersSummary {
  readonly analysisId: string;
  readonly source: LayersSource;
  readonly layout: ArchiveLayout;
  readonly repoTags: readonly string[];
  readonly imageId?: string;
  /** dive's figures, exactly as dive computes them. */
  readonly efficiency: number;
  readonly sizeBytes: number;
  readonly userSizeBytes: number;
  readonly wastedBytes: number;
  /** wastedBytes / userSizeBytes; null when dive's division gives NaN or Infinity (no bytes above layer 0). */
  readonly wastedUserPercent: number | null;
  /** The largest first, at most INEFFICIENT_FILES_SENT of them; inefficientFileCount says how many there are. */
  readonly inefficientFiles: readonly InefficientFile[];
  readonly inefficientFileCount: number;
  /** Strata's figure, not dive's: bytes of file copies that are shadowed by a later layer or deleted. */
  readonly reclaimableBytes: number;
  readonly reclaimableFiles: readonly ReclaimableFile[];
  readonly reclaimableFileCount: number;
  readonly layers: readonly LayerListItem[];
  readonly fileCount: number;
  readonly bytesRead: number;
}

/** The figures the Files view shows beside the tree: everything of the analysis except the tree itself. */
export function layersSummary(entry: CachedAnalysis): LayersSummary {
  const { analysis, tree } = entry.analyzed;
  entry.changes ??= summarizeLayerChanges(tree);
  const changes = entry.changes;
  const layers = analysis.layers.map((layer): LayerListItem => ({
    ...layer,
    added: changes[layer.index]?.added ?? 0,
    modified: changes[layer.index]?.modified ?? 0,
    removed: changes[layer.index]?.removed ?? 0,
  }));
  return {
    analysisId: entry.analysisId,
    source: entry.source,
    layout: analysis.layout,
    repoTags: analysis.repoTags,
    ...(analysis.imageId !== undefined ? { imageId: analysis.imageId } : {}),
    efficiency: analysis.efficiency,
    sizeBytes: analysis.sizeBytes,
    userSizeBytes: analysis.userSizeBytes,
    wastedBytes: analysis.wastedBytes,
    // JSON (the preview's transport) cannot carry NaN or Infinity; say "no figure" the same way on both transports.
    wastedUserPercent: Number.isFinite(analysis.wastedUserPercent) ? analysis.wastedUserPercent : null,
    inefficientFiles: analysis.inefficientFiles.slice(0, INEFFICIENT_FILES_SENT),
    inefficientFileCount: analysis.inefficientFiles.length,
    reclaimableBytes: analysis.reclaimableBytes,
    reclaimableFiles: analysis.reclaimableFiles.slice(0, INEFFICIENT_FILES_SENT),
    reclaimableFileCount: analysis.reclaimableFiles.length,
    layers,
    fileCount: analysis.fileCount,
    bytesRead: analysis.bytesRead,
  };
}
