import type { Services } from '../../app/services';
import { compareImages } from '../../core/images/compare-images';
import { containersUsingImage } from '../../core/images/image-containers';
import { imageHistory } from '../../core/images/image-history';
import { importImage } from '../../core/images/import-image';
import { inspectImage } from '../../core/images/inspect-image';
import { listImages } from '../../core/images/list-images';
import { loadImages } from '../../core/images/load-images';
import { planPrune, pruneImages } from '../../core/images/prune-images';
import { planImageRemoval, removeImage } from '../../core/images/remove-image';
import { saveImages } from '../../core/images/save-images';
import { tagImage } from '../../core/images/tag-image';
import { untagImage } from '../../core/images/untag-image';
import type { DomainHandlers } from '../dispatch';

export function imagesHandlers(s: Services): DomainHandlers<'images'> {
  return {
    list: ({ all }) => listImages(s.engine.docker(), { all }),
    inspect: ({ image }) => inspectImage(s.engine.docker(), { image }),
    history: ({ image, strategy }) => imageHistory(s.engine.docker(), { image, strategy }),
    containers: ({ imageId }) => containersUsingImage(s.engine.docker(), { imageId }),
    compare: ({ a, b }) => compareImages(s.engine.docker(), { a, b }),
    tag: ({ image, repository, tag }) =>
      tagImage(s.engine.docker(), { image, repository, ...(tag !== undefined ? { tag } : {}) }),
    untag: ({ reference }) => untagImage(s.engine.docker(), { reference }),
    planRemoval: ({ image }) => planImageRemoval(s.engine.docker(), { image }),
    remove: ({ image, force }) => removeImage(s.engine.docker(), { image, force }),
    planPrune: ({ labels }) => planPrune(s.engine.docker(), { labels }),
    prune: ({ until, imageIds, labels }) =>
      pruneImages(s.engine.docker(), { labels, plan: { until, images: imageIds.map((imageId) => ({ imageId })) } }),
    save: ({ images, destination, overwrite }) => {
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
    load: ({ source }) => {
      const docker = s.engine.docker();
      const jobId = s.jobs.start({
        kind: 'image-load',
        title: `Load images from ${source}`,
        run: ({ signal, emit }) => loadImages(docker, { source, signal, onProgress: (p) => emit('progress', p) }),
      });
      return { jobId };
    },
    import: ({ source, repository, tag, changes, message, platform }) => {
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
