import { z } from 'zod';
import type { ArchiveLayout } from '../../core/layers/archive-manifest';
import type { InefficientFile } from '../../core/layers/dive-efficiency';
import type { FileTreePage } from '../../core/layers/file-tree-rows';
import type { LayerSummary } from '../../core/layers/image-analysis';
import type { ReclaimableFile } from '../../core/layers/reclaimable';
import { channel, jobStarted } from './define';

/**
 * The layer explorer. Reading an image is a job (its `progress` events carry LayersProgress, its `done`
 * event LayersOpened); the analysis stays in main and the renderer pages through it by `analysisId`,
 * so a 50,000-file tree never crosses IPC whole.
 */
const analysisId = z.string().min(1).max(64);
const treePath = z.string().max(4096);

export const layers = {
  /** Read an image from the engine (`docker save`, streamed) as a job; cached by image ID. */
  analyzeImage: channel(z.object({ image: z.string().min(1).max(512) }).strict(), jobStarted),
  /** Read an image archive file (legacy or OCI layout) as a job; no engine needed. Cached by path and mtime. */
  analyzeArchive: channel(z.object({ path: z.string().min(1).max(4096) }).strict(), jobStarted),
  /** A window of the flattened file tree after one layer, under the view's toggles. */
  rows: channel(
    z
      .object({
        analysisId,
        layerIndex: z.number().int().min(0).max(100_000),
        filter: z.string().max(4096).default(''),
        onlyChanges: z.boolean().default(false),
        onlyThisLayer: z.boolean().default(false),
        collapsed: z.array(treePath).max(20_000).default([]),
        sortBySize: z.boolean().default(false),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(0).max(5000).default(200),
      })
      .strict(),
    z.custom<FileTreePage>(),
  ),
  /** dive's figures, Strata's reclaimable bytes and the per-layer list of an analysis already read. */
  summary: channel(z.object({ analysisId }).strict(), z.custom<LayersSummary>()),
};

/** What a running analysis reports: bytes taken from the image stream or file. */
export interface LayersProgress {
  readonly bytesRead: number;
  readonly totalBytes?: number;
  /** True when totalBytes is the engine's image size (close to, not exactly, the `docker save` size). */
  readonly estimated: boolean;
}

/** Where an analysis came from. */
export type LayersSource =
  | { readonly kind: 'image'; readonly image: string; readonly imageId: string }
  | { readonly kind: 'archive'; readonly path: string };

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

/** The `done` data of analyzeImage / analyzeArchive. */
export interface LayersOpened {
  readonly analysisId: string;
  /** True when the analysis was already in main's cache and nothing was read. */
  readonly cached: boolean;
  readonly summary: LayersSummary;
}

/** How many inefficient and reclaimable files a summary carries (the rest are counted, not sent). */
export const INEFFICIENT_FILES_SENT = 500;

export type { FileTreePage, FileTreeRow } from '../../core/layers/file-tree-rows';
export type { ChangeStatus } from '../../core/layers/layer-snapshot';
