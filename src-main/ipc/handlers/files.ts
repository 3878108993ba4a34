import type { Services } from '../services';
import { readTextFile, saveTextFile } from '../../core/files/text-file';
import { userPath } from '../../core/files/user-path';
import type { DomainHandlers } from '../dispatch';

export function filesHandlers(s: Services): DomainHandlers<'files'> {
  return {
    read: ({ path }) => readTextFile({ path: userPath(path, { kind: 'file', homeDir: s.homeDir }) }),
    save: async (typed) => {
      const request = { ...typed, path: userPath(typed.path, { kind: 'file', homeDir: s.homeDir }) };
      const saved = await saveTextFile({ ...request, journal: s.partials });
      // Our own write is not "changed on disk by another program".
      await s.fileWatcher.acknowledge(saved.path);
      if (saved.path !== request.path) await s.fileWatcher.acknowledge(request.path);
      return saved;
    },
    watch: async ({ paths }) => {
      await s.fileWatcher.setPaths(paths.map((p) => userPath(p, { kind: 'any', homeDir: s.homeDir })));
      return { ok: true as const };
    },
  };
}
