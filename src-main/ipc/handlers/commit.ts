import { join } from 'node:path';
import type { Services } from '../services';
import { commitContainer } from '../../core/commit/commit-container';
import { containerDiff } from '../../core/commit/container-diff';
import { findExistingTag } from '../../core/commit/existing-tag';
import { dialectForApiVersion } from '$shared/images/reference';
import { readJsonFile, writeDataFile } from '../../core/settings/json-file';
import type { DomainHandlers } from '../dispatch';

interface CommitPreferences {
  author: string;
}

export function commitHandlers(s: Services): DomainHandlers<'commit'> {
  // Kept beside the settings, in a file of our own: the last author is prefilled next time.
  const preferencesPath = join(s.dataDir, 'commit-preferences.json');
  const preferences = (): Promise<CommitPreferences> => readJsonFile(preferencesPath, { author: '' });

  return {
    diff: async ({ container }) => ({ entries: (await containerDiff(s.engine.docker(), { container })).entries }),
    checkTag: async ({ reference }) => {
      const existing = await findExistingTag(s.engine.docker(), { reference });
      return existing ? { exists: true, imageId: existing.imageId } : { exists: false };
    },
    defaults: async () => ({ author: (await preferences()).author }),
    commit: (request) => {
      const docker = s.engine.docker();
      const status = s.engine.status;
      const dialect = dialectForApiVersion(status.state === 'connected' ? status.engine.apiVersion : undefined);
      const jobId = s.jobs.start({
        kind: 'commit',
        title: `Commit ${request.container}${request.reference ? ` as ${request.reference}` : ''}`,
        run: async ({ signal }) => {
          const result = await commitContainer(docker, {
            container: request.container,
            pause: request.pause,
            changes: request.changes,
            dialect,
            engine: status.state === 'connected' && status.engine.product === 'Podman' ? 'podman' : 'docker',
            signal,
            ...(request.reference ? { reference: request.reference } : {}),
            ...(request.author ? { author: request.author } : {}),
            ...(request.message ? { message: request.message } : {}),
          });
          if (request.author !== undefined) {
            await writeDataFile(preferencesPath, JSON.stringify({ author: request.author }, null, 2)).catch(
              () => undefined,
            );
          }
          return result;
        },
      });
      return { jobId };
    },
  };
}
