import { z } from 'zod';
import type { ImageComparison } from '../../core/images/compare-images';
import type { FileDifference } from '../../core/images/compare-files';
import type { ImageContainer } from '../../core/images/image-containers';
import type { ImageHistory } from '../../core/images/image-history';
import type { ImportResult } from '../../core/images/import-image';
import type { ImageSummary } from '../../core/images/inspect-image';
import type { ImageList } from '../../core/images/list-images';
import type { LoadResult } from '../../core/images/load-images';
import type { PrunePlan, PruneResult } from '../../core/images/prune-images';
import type { RemovalPlan, RemovalResult } from '../../core/images/remove-image';
import type { SaveResult, TransferProgress } from '../../core/images/save-images';
import type { TagResult } from '../../core/images/tag-image';
import type { UntagResult } from '../../core/images/untag-image';
import { channel } from './define';
import { jobStarted } from './jobs';

/**
 * Responses are the core/images types themselves (core is their one definition; main builds them,
 * so they are not re-validated): `z.custom<T>()` carries the type to the renderer without a copy.
 */
const imageRef = z.string().min(1).max(512);
const path = z.string().min(1).max(4096);
const labelFilter = z.array(z.string().min(1).max(1024)).max(32).default([]);

export const images = {
  /** One row per tag (`docker images`), with container counts. */
  list: channel(z.object({ all: z.boolean().default(false) }).strict(), z.custom<ImageList>()),
  /** Disk the images' layers take, counted from each image's layers, where the list says `diskUseToCount`. */
  diskUse: channel(z.object({}).strict(), z.custom<{ diskUse?: number; imageIds: string[] }>()),
  /** Summary plus the engine's full inspect JSON. */
  inspect: channel(z.object({ image: imageRef }).strict(), z.custom<{ summary: ImageSummary; raw: unknown }>()),
  /** History entries tied to their layers. */
  history: channel(
    z
      .object({ image: imageRef, strategy: z.enum(['auto', 'engine-only', 'history', 'image-config']).default('auto') })
      .strict(),
    z.custom<ImageHistory>(),
  ),
  /** Containers (any state) created from the image. */
  containers: channel(z.object({ imageId: imageRef }).strict(), z.custom<ImageContainer[]>()),
  compare: channel(z.object({ a: imageRef, b: imageRef }).strict(), z.custom<ImageComparison>()),
  /**
   * File by file, what B adds, changes and removes against A, from two analyses already read
   * (layers.analyzeImage). Filtered and paged here: an image pair can differ in 100,000 paths.
   */
  compareFiles: channel(
    z
      .object({
        analysisA: z.string().min(1).max(64),
        analysisB: z.string().min(1).max(64),
        filter: z.string().max(4096).default(''),
        changes: z
          .array(z.enum(['added', 'modified', 'removed']))
          .max(3)
          .default([]),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(0).max(5000).default(500),
      })
      .strict(),
    z.custom<FileComparisonPage>(),
  ),
  tag: channel(
    z.object({ image: imageRef, repository: z.string().max(512), tag: z.string().max(256).optional() }).strict(),
    z.custom<TagResult>(),
  ),
  untag: channel(z.object({ reference: imageRef }).strict(), z.custom<UntagResult>()),
  /** What removing would involve (tags, containers, children, what force does), for the confirmation. */
  planRemoval: channel(z.object({ image: imageRef }).strict(), z.custom<RemovalPlan>()),
  remove: channel(z.object({ image: imageRef, force: z.boolean().default(false) }).strict(), z.custom<RemovalResult>()),
  /** Dangling images a prune would delete and the space it frees. */
  planPrune: channel(z.object({ labels: labelFilter }).strict(), z.custom<PrunePlan>()),
  /** Prune, held to the plan shown (its images and time bound). */
  prune: channel(
    z
      .object({
        until: z.number().int().min(0),
        imageIds: z.array(z.string().min(1).max(100)).max(100_000),
        labels: labelFilter,
      })
      .strict(),
    z.custom<PruneResult>(),
  ),
  /** Save to a tar as a job: `progress` events carry TransferProgress, `done` the SaveResult. */
  save: channel(
    z
      .object({
        images: z.array(imageRef).min(1).max(1000),
        destination: path,
        overwrite: z.boolean().default(true),
      })
      .strict(),
    jobStarted<'image-save'>(),
  ),
  /** Load a tar as a job: `progress` events carry TransferProgress, `done` the LoadResult. */
  load: channel(z.object({ source: path }).strict(), jobStarted<'image-load'>()),
  /** Import a root filesystem tarball as a job: `progress` events carry TransferProgress, `done` the ImportResult. */
  import: channel(
    z
      .object({
        source: path,
        repository: z.string().max(512).optional(),
        tag: z.string().max(256).optional(),
        changes: z.array(z.string().max(8192)).max(64).default([]),
        message: z.string().max(65_536).optional(),
        platform: z.string().max(64).optional(),
      })
      .strict(),
    jobStarted<'image-import'>(),
  ),
};

export type ImageTransferProgress = TransferProgress;
export type ImageSaveResult = SaveResult;
export type ImageLoadResult = LoadResult;
export type ImageImportResult = ImportResult;

/** A window of a file comparison: the rows matching the filter, and the totals of the whole comparison. */
export interface FileComparisonPage {
  rows: FileDifference[];
  /** Rows matching the filter (the page is a window of them). */
  matched: number;
  counts: { added: number; modified: number; removed: number };
  bytes: { added: number; modified: number; removed: number };
}
