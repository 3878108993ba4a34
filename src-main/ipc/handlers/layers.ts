import { createReadStream } from 'node:fs';
import type { Services } from '../services';
import { StrataError } from '$shared/engine/errors';
import { userPath } from '../../core/files/user-path';
import { saveStream } from '../../core/images/engine-streams';
import type { CachedAnalysis, LayersSource } from '../../core/layers/analysis-cache';
import { listFileTreeRows } from '../../core/layers/file-tree-rows';
import { layersSummary } from '../../core/layers/layers-summary';
import { archiveFile, openAnalysis } from '../../core/layers/open-analysis';
import type { DomainHandlers } from '../dispatch';

export function layersHandlers(s: Services): DomainHandlers<'layers'> {
  const cache = s.analyses;

  const need = (analysisId: string): CachedAnalysis => {
    const entry = cache.getById(analysisId);
    if (!entry) {
      throw new StrataError(
        'not-found',
        'This analysis is no longer kept in memory (Strata keeps the last few images read). Read the image again.',
        { analysisId },
      );
    }
    return entry;
  };

  return {
    analyzeImage: async ({ image }) => {
      const docker = s.engine.docker();
      // Inspect before the job so a wrong name fails the request itself, and so the cache key is the image ID.
      const info = await docker.getImage(image).inspect();
      const source: LayersSource = { kind: 'image', image, imageId: info.Id };
      const jobId = s.jobs.start({
        kind: 'layers-analyze',
        title: `Read the layers of ${image}`,
        run: ({ signal, emit }) =>
          openAnalysis({
            cache,
            key: `image:${info.Id}`,
            source,
            totalBytes: info.Size,
            estimated: true,
            // The signal reaches the HTTP request: the engine lays out the whole archive before the first
            // byte, and Cancel must not wait for that.
            open: (abort) => saveStream(docker, { names: [info.Id], signal: abort }),
            signal,
            onProgress: (progress) => emit('progress', progress),
          }),
      });
      return { jobId };
    },

    analyzeArchive: async ({ path }) => {
      const file = await archiveFile(userPath(path, { kind: 'file', homeDir: s.homeDir }));
      const source: LayersSource = { kind: 'archive', path: file.path };
      const jobId = s.jobs.start({
        kind: 'layers-analyze',
        title: `Read the layers of ${file.path}`,
        run: ({ signal, emit }) =>
          openAnalysis({
            cache,
            key: `archive:${file.path}:${file.mtimeMs}:${file.size}`,
            source,
            totalBytes: file.size,
            estimated: false,
            // 1 MiB reads: a quarter less CPU than the 64 KiB default on a 400 MB archive.
            open: async () => createReadStream(file.path, { highWaterMark: 1 << 20 }),
            signal,
            onProgress: (progress) => emit('progress', progress),
          }).catch((error: unknown) => {
            if (error instanceof StrataError || signal.aborted) throw error;
            throw new StrataError(
              'invalid-input',
              `${file.path} is not an image archive Strata can read: ${(error as Error).message}`,
            );
          }),
      });
      return { jobId };
    },

    rows: ({ analysisId, layerIndex, filter, onlyChanges, onlyThisLayer, collapsed, sortBySize, offset, limit }) => {
      const { tree } = need(analysisId).analyzed;
      if (layerIndex >= tree.layerCount) {
        throw new StrataError(
          'invalid-input',
          `Layer ${layerIndex} does not exist: the image has ${tree.layerCount} layers (0 to ${tree.layerCount - 1}).`,
        );
      }
      return listFileTreeRows(tree, {
        layer: layerIndex,
        filter,
        changesOnly: onlyChanges,
        layerEntriesOnly: onlyThisLayer,
        collapsed,
        sortBy: sortBySize ? 'size' : 'name',
        offset,
        limit,
      });
    },

    summary: ({ analysisId }) => layersSummary(need(analysisId)),
  };
}
