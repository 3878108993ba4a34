import path from 'node:path';
import { stat } from 'node:fs/promises';
import type { Services } from '../services';
import { planBuild } from '../../core/build/build-plan';
import { contextTransferFor } from '../../core/build/session/session-support';
import type { ContextBuilder } from '../../core/context/context-build-files';
import { scanBuildFiles } from '../../core/context/context-scan';
import { StrataError } from '$shared/engine/errors';
import { findDockerfiles } from '../../core/files/dockerfile-candidates';
import { addDockerignoreRule } from '../../core/files/dockerignore-rule';
import { userPath } from '../../core/files/user-path';
import type { ContextReport, OpenedContext } from '../contract/context';
import type { DomainHandlers } from '../dispatch';
import { contextTreeRows, openContextTree } from './context-tree';

/** The build's own plan (core/build/build-plan): the builder and rules build.start will use for this context. */
function planFor(s: Services, contextDir: string, dockerfile: string, requested: ContextBuilder | 'auto') {
  const status = s.engine.status;
  const engine = status.state === 'connected' ? status.engine : undefined;
  const { transfer, refusal } = contextTransferFor(engine, s.sessionRefusals);
  return planBuild({
    contextDir,
    dockerfile,
    requested,
    engine,
    contextTransfer: transfer,
    ...(refusal !== undefined ? { sessionRefusal: refusal } : {}),
  });
}

async function openContext(s: Services, typed: string, picked: string | undefined): Promise<OpenedContext> {
  const given = userPath(typed, { kind: 'any', homeDir: s.homeDir });
  const info = await stat(given).catch(() => undefined);
  if (!info) throw new StrataError('not-found', `There is no folder at ${given}.`, { path: given });
  const contextDir = info.isDirectory() ? given : path.dirname(given);
  const dropped = info.isDirectory() ? undefined : path.basename(given);
  const candidates = await findDockerfiles(contextDir);
  const recents = s.recentContexts;
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
    recent: () => s.recentContexts.list(),
    forget: async ({ contextDir }) => {
      await s.recentContexts.forget(userPath(contextDir, { kind: 'folder', homeDir: s.homeDir }));
      return { ok: true as const };
    },
    scan: async ({ contextDir, dockerfile, builder, top }): Promise<ContextReport> => {
      // Exactly what build.start would pack: the same plan, the same scan (see core/build/build-directory).
      const plan = await planFor(s, userPath(contextDir, { kind: 'folder', homeDir: s.homeDir }), dockerfile, builder);
      const { entries, ...scan } = await scanBuildFiles(plan.files, { top });
      return {
        ...scan,
        entryCount: entries.length,
        transfer: plan.transfer,
        ...(plan.note ? { builderNote: plan.note, builderNoteTone: plan.noteTone ?? 'info' } : {}),
      };
    },
    tree: (request) => openContextTree(s, request),
    treeRows: async (request) => contextTreeRows(s, request),
    addIgnoreRule: async ({ contextDir, dockerfile, builder, rule }) => {
      const dir = userPath(contextDir, { kind: 'folder', homeDir: s.homeDir });
      const files = await planFor(s, dir, dockerfile, builder).then(
        (plan) => plan.files,
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
