import type { Services } from '../services';
import { FileWatcher } from '../../core/files/file-watcher';
import { readTextFile, saveTextFile } from '../../core/files/text-file';
import { userPath } from '../../core/files/user-path';
import type { DomainHandlers } from '../dispatch';

const watchers = new WeakMap<Services, FileWatcher>();

/** One watcher per Services, made on first use; its changes are pushed as `files.changed`. */
export function fileWatcherOf(s: Services): FileWatcher {
  let watcher = watchers.get(s);
  if (!watcher) {
    watcher = new FileWatcher({ onChange: (change) => s.bus.emit('files.changed', change) });
    watchers.set(s, watcher);
  }
  return watcher;
}

export function filesHandlers(s: Services): DomainHandlers<'files'> {
  return {
    read: ({ path }) => readTextFile({ path: userPath(path, { kind: 'file', homeDir: s.homeDir }) }),
    save: async (typed) => {
      const request = { ...typed, path: userPath(typed.path, { kind: 'file', homeDir: s.homeDir }) };
      const saved = await saveTextFile({ ...request, journal: s.partials });
      // Our own write is not "changed on disk by another program".
      await fileWatcherOf(s).acknowledge(saved.path);
      if (saved.path !== request.path) await fileWatcherOf(s).acknowledge(request.path);
      return saved;
    },
    watch: async ({ paths }) => {
      await fileWatcherOf(s).setPaths(paths.map((p) => userPath(p, { kind: 'any', homeDir: s.homeDir })));
      return { ok: true as const };
    },
  };
}
