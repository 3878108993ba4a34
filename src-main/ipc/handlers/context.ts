import { homedir } from 'node:os';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import type { Services } from '../../app/services';
import { chooseBuilder } from '../../core/build/choose-builder';
import { resolveBuildFiles, type ContextBuilder } from '../../core/context/context-build-files';
import { scanContext } from '../../core/context/context-scan';
import { StrataError } from '../../core/engine/errors';
import { findDockerfiles } from '../../core/files/dockerfile-candidates';
import { addDockerignoreRule } from '../../core/files/dockerignore-rule';
import { RecentContextsStore } from '../../core/files/recent-contexts';
import type { ContextReport, OpenedContext } from '../contract/context';
import type { DomainHandlers } from '../dispatch';

const stores = new WeakMap<Services, RecentContextsStore>();

function recentOf(s: Services): RecentContextsStore {
  let store = stores.get(s);
  if (!store) {
    store = new RecentContextsStore(s.dataDir);
    stores.set(s, store);
  }
  return store;
}

/** A typed path: `~` is the home folder; anything else must be absolute (there is no sensible "current folder"). */
function absolute(typed: string): string {
  const p = typed === '~' || typed.startsWith('~/') ? path.join(homedir(), typed.slice(1)) : typed;
  if (!path.isAbsolute(p))
    throw new StrataError('invalid-input', `Type an absolute path: "${typed}" is relative.`, { path: typed });
  return path.normalize(p).replace(/(.)[\\/]+$/, '$1');
}

/** `auto` as the build will pick it; BuildKit (Docker's default) while no engine is connected. */
function builderFor(s: Services, requested: ContextBuilder | 'auto'): ContextBuilder {
  if (requested !== 'auto') return requested;
  const status = s.engine.status;
  return status.state === 'connected' ? chooseBuilder('auto', status.engine) : 'buildkit';
}

async function openContext(s: Services, typed: string, picked: string | undefined): Promise<OpenedContext> {
  const given = absolute(typed);
  const info = await stat(given).catch(() => undefined);
  if (!info) throw new StrataError('not-found', `There is no folder at ${given}.`, { path: given });
  const contextDir = info.isDirectory() ? given : path.dirname(given);
  const dropped = info.isDirectory() ? undefined : path.basename(given);
  const candidates = await findDockerfiles(contextDir);
  const recents = recentOf(s);
  const remembered = (await recents.list()).find((r) => r.contextDir === contextDir)?.dockerfile;
  const dockerfile = picked ?? dropped;
  await recents.remember({
    contextDir,
    ...((dockerfile ?? remembered) ? { dockerfile: dockerfile ?? remembered } : {}),
  });
  return {
    contextDir,
    ...(dockerfile ? { dockerfile } : {}),
    candidates,
    ...(remembered ? { remembered } : {}),
  };
}

export function contextHandlers(s: Services): DomainHandlers<'context'> {
  return {
    open: ({ path: typed, dockerfile }) => openContext(s, typed, dockerfile),
    recent: () => recentOf(s).list(),
    forget: async ({ contextDir }) => {
      await recentOf(s).forget(contextDir);
      return { ok: true as const };
    },
    scan: async ({ contextDir, dockerfile, builder, top }): Promise<ContextReport> => {
      const kind = builderFor(s, builder);
      // Exactly what build.start would pack (see core/build/build-directory).
      const { entries, ...scan } = await scanContext({
        contextDir: absolute(contextDir),
        dockerfile,
        builder: kind,
        forceBuildFiles: kind === 'buildkit',
        top,
      });
      return { ...scan, entryCount: entries.length };
    },
    addIgnoreRule: async ({ contextDir, dockerfile, builder, rule }) => {
      const dir = absolute(contextDir);
      const files = await resolveBuildFiles({ contextDir: dir, dockerfile, builder: builderFor(s, builder) }).catch(
        (err: unknown) => {
          // No Dockerfile yet: the context's own .dockerignore is the one any Dockerfile would use.
          if (err instanceof StrataError && err.code === 'not-found' && /Dockerfile/.test(err.message))
            return undefined;
          throw err;
        },
      );
      const file = files?.ignoreFile?.path ?? path.join(files?.contextDir ?? dir, '.dockerignore');
      return addDockerignoreRule({ file, rule, journal: s.partials });
    },
  };
}
