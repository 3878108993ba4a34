import type { CachedAnalysis, LayersSource } from './analysis-cache';
import type { InefficientFile } from './dive-efficiency';
import type { ImageAnalysis, LayerSummary } from './image-analysis';
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

/**
 * The figures of an analysis, without its file tree: the analysis's own figures, plus what a page of the Files
 * view needs beside them (the analysis it came from, counts of what was cut, each layer's changes).
 */
export interface LayersSummary extends Pick<
  ImageAnalysis,
  | 'layout'
  | 'repoTags'
  | 'imageId'
  | 'efficiency'
  | 'sizeBytes'
  | 'userSizeBytes'
  | 'wastedBytes'
  | 'reclaimableBytes'
  | 'fileCount'
  | 'bytesRead'
> {
  readonly analysisId: string;
  readonly source: LayersSource;
  /** wastedBytes / userSizeBytes; null when dive's division gives NaN or Infinity (no bytes above layer 0). */
  readonly wastedUserPercent: number | null;
  /** The largest first, at most INEFFICIENT_FILES_SENT of them; inefficientFileCount says how many there are. */
  readonly inefficientFiles: readonly InefficientFile[];
  readonly inefficientFileCount: number;
  /** At most INEFFICIENT_FILES_SENT of them; reclaimableFileCount says how many there are. */
  readonly reclaimableFiles: readonly ReclaimableFile[];
  readonly reclaimableFileCount: number;
  readonly layers: readonly LayerListItem[];
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
