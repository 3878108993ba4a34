import { z } from 'zod';
import type { FileTreePage } from '../../core/layers/file-tree-rows';
import type { LayersSummary } from '../../core/layers/layers-summary';
import { channel } from './define';
import { jobStarted } from './jobs';

/**
 * The layer explorer. Reading an image is a job (its `progress` events carry LayersProgress, its `done`
 * event LayersOpened); the analysis stays in main and the renderer pages through it by `analysisId`,
 * so a 50,000-file tree never crosses IPC whole.
 */
const analysisId = z.string().min(1).max(64);
const treePath = z.string().max(4096);

export const layers = {
  /** Read an image from the engine (`docker save`, streamed) as a job; cached by image ID. */
  analyzeImage: channel(z.object({ image: z.string().min(1).max(512) }).strict(), jobStarted<'layers-analyze'>()),
  /** Read an image archive file (legacy or OCI layout) as a job; no engine needed. Cached by path and mtime. */
  analyzeArchive: channel(z.object({ path: z.string().min(1).max(4096) }).strict(), jobStarted<'layers-analyze'>()),
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

export type { LayersSource } from '../../core/layers/analysis-cache';
export type { LayerListItem, LayersSummary } from '../../core/layers/layers-summary';
export type { LayersOpened, LayersProgress } from '../../core/layers/open-analysis';
export type { FileTreePage, FileTreeRow } from '../../core/layers/file-tree-rows';
export type { ChangeStatus } from '../../core/layers/layer-snapshot';
