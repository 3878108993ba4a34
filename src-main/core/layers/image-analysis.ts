import type { ArchiveLayout, HistoryEntry } from './archive-manifest';
import type { ArchiveSource } from './archive-source';
import { computeDiveEfficiency } from './dive-efficiency';
import type { DiveEfficiency, InefficientFile } from './dive-efficiency';
import { readImageArchive } from './image-archive-reader';
import type { ImageArchive, ReadImageArchiveOptions } from './image-archive-reader';
import type { LayerCompression } from './layer-entry';
import { LayerFileTree } from './layer-file-tree';
import { replayLayers } from './layer-replay';
import { PathTable } from './path-table';
import { computeReclaimable } from './reclaimable';
import type { ReclaimableFile, ReclaimableSummary } from './reclaimable';

/** One layer in the analysis, in order from the base. */
export interface LayerSummary {
  readonly index: number;
  /** The layer's diff ID (sha256 of the uncompressed tar), else its blob digest or archive path. */
  readonly id: string;
  readonly diffId?: string;
  readonly digest?: string;
  readonly command: string;
  readonly createdBy: string;
  readonly created?: string;
  readonly historyIndex?: number;
  /** dive's layer size: Σ tar header sizes. */
  readonly sizeBytes: number;
  /** Tar entries in the layer (files, folders, links, whiteouts). */
  readonly fileCount: number;
  readonly blobBytes: number;
  readonly compression: LayerCompression;
  /** Bytes of this layer's files that the final image does not use. */
  readonly reclaimableBytes: number;
}

/** A history entry with the layer it made, if it made one. */
export interface HistoryRow extends HistoryEntry {
  readonly index: number;
  readonly layerIndex?: number;
}

/** Everything `strata analyze` prints and the Files view shows beside the tree. */
export interface ImageAnalysis {
  readonly layout: ArchiveLayout;
  readonly repoTags: readonly string[];
  readonly imageId?: string;
  /** dive's figures, exactly as dive computes them. */
  readonly efficiency: number;
  readonly sizeBytes: number;
  readonly userSizeBytes: number;
  readonly wastedBytes: number;
  readonly wastedUserPercent: number;
  readonly inefficientFiles: readonly InefficientFile[];
  /** Strata's own figure, not dive's: bytes of file copies that are shadowed or deleted. */
  readonly reclaimableBytes: number;
  readonly reclaimableFiles: readonly ReclaimableFile[];
  readonly layers: readonly LayerSummary[];
  readonly history: readonly HistoryRow[];
  readonly fileCount: number;
  readonly bytesRead: number;
}

export interface AnalyzedImage {
  readonly analysis: ImageAnalysis;
  /** The per-layer file tree, for paging rows to the Files view. */
  readonly tree: LayerFileTree;
}

/** Reads an image archive stream and analyses it (see `analyzeImageArchive`). */
export async function analyzeImage(
  source: ArchiveSource,
  options: ReadImageArchiveOptions = {},
): Promise<AnalyzedImage> {
  return analyzeImageArchive(await readImageArchive(source, options));
}

/** dive's efficiency figures, the reclaimable bytes and the per-layer file tree of an archive already read. */
export function analyzeImageArchive(archive: ImageArchive): AnalyzedImage {
  const dive = computeDiveEfficiency(archive.layers);
  const tree = new LayerFileTree({ layers: archive.layers });
  return { analysis: summarize(archive, dive, computeReclaimable(tree)), tree };
}

/** Reads an image archive stream and works out its figures alone (see `analyzeImageFigures`). */
export async function analyzeImageStream(
  source: ArchiveSource,
  options: ReadImageArchiveOptions = {},
): Promise<ImageAnalysis> {
  return analyzeImageFigures(await readImageArchive(source, options));
}

/**
 * The same analysis as `analyzeImageArchive` without the file tree the Files view pages through: what
 * `strata analyze` prints. dive's figures and the overlay replay share one table of paths, so each path is
 * looked up once, and nothing is kept for showing layers later.
 */
export function analyzeImageFigures(archive: ImageArchive): ImageAnalysis {
  const table = new PathTable();
  const dive = computeDiveEfficiency(archive.layers, table);
  const replay = replayLayers(archive.layers, table);
  const reclaimable = computeReclaimable({ ...replay, layerCount: archive.layers.length, nodePath: table.paths });
  return summarize(archive, dive, reclaimable);
}

function summarize(archive: ImageArchive, dive: DiveEfficiency, reclaimable: ReclaimableSummary): ImageAnalysis {
  const layerOfHistory = new Map<number, number>();
  for (const layer of archive.layers) {
    if (layer.historyIndex !== undefined) layerOfHistory.set(layer.historyIndex, layer.index);
  }
  const layers = archive.layers.map((layer): LayerSummary => ({
    index: layer.index,
    id: layer.diffId ?? layer.digest ?? layer.blobPath,
    diffId: layer.diffId,
    digest: layer.digest,
    command: layer.command,
    createdBy: layer.createdBy,
    created: layer.historyIndex === undefined ? undefined : archive.config.history[layer.historyIndex]?.created,
    historyIndex: layer.historyIndex,
    sizeBytes: layer.sizeBytes,
    fileCount: layer.entries.length,
    blobBytes: layer.blobBytes,
    compression: layer.compression,
    reclaimableBytes: reclaimable.layerReclaimableBytes[layer.index] ?? 0,
  }));
  return {
    layout: archive.layout,
    repoTags: archive.repoTags,
    imageId: archive.configDigest,
    efficiency: dive.efficiency,
    sizeBytes: dive.sizeBytes,
    userSizeBytes: dive.userSizeBytes,
    wastedBytes: dive.wastedBytes,
    wastedUserPercent: dive.wastedUserPercent,
    inefficientFiles: dive.inefficientFiles,
    reclaimableBytes: reclaimable.reclaimableBytes,
    reclaimableFiles: reclaimable.files,
    layers,
    history: archive.config.history.map((entry, index) => ({ ...entry, index, layerIndex: layerOfHistory.get(index) })),
    fileCount: layers.reduce((sum, layer) => sum + layer.fileCount, 0),
    bytesRead: archive.bytesRead,
  };
}
