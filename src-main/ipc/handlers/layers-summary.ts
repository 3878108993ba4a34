import { summarizeLayerChanges } from '../../core/layers/layer-changes';
import { INEFFICIENT_FILES_SENT } from '../contract/layers';
import type { LayerListItem, LayersSummary } from '../contract/layers';
import type { CachedAnalysis } from './layers-cache';

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
