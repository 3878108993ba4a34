import type { Services } from '../services';
import { filterFileDifferences } from '../../core/images/compare-files';
import { compareImages } from '../../core/images/compare-images';
import { StrataError } from '$shared/engine/errors';
import type { CachedAnalysis } from '../../core/layers/analysis-cache';
import { containersUsingImage } from '../../core/images/image-containers';
import { imageHistory } from '../../core/images/image-history';
import { importImage } from '../../core/images/import-image';
import { inspectImage } from '../../core/images/inspect-image';
import { countImageDiskUse, listImages } from '../../core/images/list-images';
import { loadImages } from '../../core/images/load-images';
import { planPrune, pruneImages } from '../../core/images/prune-images';
import { planImageRemoval, removeImage } from '../../core/images/remove-image';
import { saveImages } from '../../core/images/save-images';
import { tagImage } from '../../core/images/tag-image';
import { untagImage } from '../../core/images/untag-image';
import { saveTarget, userPath } from '../../core/files/user-path';
import type { DomainHandlers } from '../dispatch';

export function imagesHandlers(s: Services): DomainHandlers<'images'> {
  const analysis = (analysisId: string): CachedAnalysis => {
    const entry = s.analyses.getById(analysisId);
    if (!entry) {
      throw new StrataError(
        'not-found',
        'This image is no longer kept in memory (Strata keeps the last few images read). Compare again.',
        { analysisId },
      );
    }
    return entry;
  };
  // Some engine behaviour differs on Podman (forced removal takes the containers along), so core is told.
  const engineKind = (): 'docker' | 'podman' =>
    s.engine.status.state === 'connected' && s.engine.status.engine.product === 'Podman' ? 'podman' : 'docker';

  return {
    list: ({ all }) => listImages(s.engine.docker(), { all }),
    diskUse: () => countImageDiskUse(s.engine.docker()),
    inspect: ({ image }) => inspectImage(s.engine.docker(), { image }),
    history: ({ image, strategy }) => imageHistory(s.engine.docker(), { image, strategy }),
    containers: ({ imageId }) => containersUsingImage(s.engine.docker(), { imageId }),
    compare: ({ a, b }) => compareImages(s.engine.docker(), { a, b }),
    compareFiles: ({ analysisA, analysisB, filter, changes, offset, limit }) => {
      const result = s.analyses.compareFiles(analysis(analysisA), analysis(analysisB));
      const matched = filterFileDifferences(result.rows, { text: filter, changes });
      return {
        rows: matched.slice(offset, offset + limit),
        matched: matched.length,
        counts: result.counts,
        bytes: result.bytes,
      };
    },
    tag: ({ image, repository, tag }) =>
      tagImage(s.engine.docker(), { image, repository, ...(tag !== undefined ? { tag } : {}) }),
    untag: ({ reference }) => untagImage(s.engine.docker(), { reference }),
    planRemoval: ({ image }) => planImageRemoval(s.engine.docker(), { image, engine: engineKind() }),
    remove: ({ image, force }) => removeImage(s.engine.docker(), { image, force, engine: engineKind() }),
    planPrune: ({ labels }) => planPrune(s.engine.docker(), { labels }),
    prune: ({ until, imageIds, labels }) =>
      pruneImages(s.engine.docker(), {
        labels,
        plan: { until, images: imageIds.map((imageId) => ({ imageId })) },
        engine: engineKind(),
      }),
    save: async ({ images, destination: typed, overwrite }) => {
      const destination = await saveTarget(userPath(typed, { kind: 'file', homeDir: s.homeDir }));
      const docker = s.engine.docker();
      const jobId = s.jobs.start({
        kind: 'image-save',
        title: `Save ${images.join(', ')} to ${destination}`,
        run: ({ signal, emit }) =>
          saveImages(docker, {
            images,
            destination,
            overwrite,
            signal,
            journal: s.partials,
            onProgress: (p) => emit('progress', p),
          }),
      });
      return { jobId };
    },
    load: ({ source: typed }) => {
      const source = userPath(typed, { kind: 'file', homeDir: s.homeDir });
      const docker = s.engine.docker();
      const jobId = s.jobs.start({
        kind: 'image-load',
        title: `Load images from ${source}`,
        run: ({ signal, emit }) => loadImages(docker, { source, signal, onProgress: (p) => emit('progress', p) }),
      });
      return { jobId };
    },
    import: ({ source: typed, repository, tag, changes, message, platform }) => {
      const source = userPath(typed, { kind: 'file', homeDir: s.homeDir });
      const docker = s.engine.docker();
      const jobId = s.jobs.start({
        kind: 'image-import',
        title: `Import ${source}${repository ? ` as ${repository}:${tag || 'latest'}` : ''}`,
        run: ({ signal, emit }) =>
          importImage(docker, {
            source,
            changes,
            signal,
            onProgress: (p) => emit('progress', p),
            ...(repository ? { repository } : {}),
            ...(tag ? { tag } : {}),
            ...(message ? { message } : {}),
            ...(platform ? { platform } : {}),
          }),
      });
      return { jobId };
    },
  };
}
