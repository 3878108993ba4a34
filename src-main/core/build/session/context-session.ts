/**
 * A BuildKit build's context and Dockerfile offered through a session instead of a tar, as `docker build`
 * with BuildKit does: the engine is told `remote=client-session` and pulls the "context" folder (filtered by
 * our .dockerignore rules) and the Dockerfile's own folder ("dockerfile"), asking only for the files it does
 * not already hold from the last build of the same folder.
 */
import path from 'node:path';
import type Docker from 'dockerode';
import type { BuildFiles } from '../../context/context-build-files';
import { PatternMatcher } from '../../context/dockerignore-matcher';
import { type BuildSession, openBuildSession, sharedKeyFor } from './build-session';
import type { SyncDir } from './file-sync-service';

export { SessionRefusedError } from './build-session';
export type { TransferCounter } from './file-sync-service';

export interface ContextSession extends BuildSession {
  kind: 'session';
  /** The Dockerfile's name inside the "dockerfile" folder: the /build `dockerfile` parameter. */
  dockerfile: string;
}

/**
 * The ignore rules as BuildKit applies them when the Dockerfile travels on its own: without the exceptions
 * a tar upload adds to force the Dockerfile and the ignore file in.
 */
function contextRules(files: BuildFiles): PatternMatcher | undefined {
  if (!files.ignoreLines.length) return undefined;
  if (!files.forcedPatterns.length) return files.matcher;
  const file = files.ignoreFile ? path.basename(files.ignoreFile.path) : undefined;
  return PatternMatcher.create(files.ignoreLines, file ? { file } : {});
}

/** Open the session for a build of `files` (throws SessionRefusedError when the engine has no sessions). */
export async function openContextSession(docker: Docker, files: BuildFiles): Promise<ContextSession> {
  const exclude = contextRules(files);
  const context: SyncDir = { root: files.contextDir, resetOwner: true, ...(exclude ? { exclude } : {}) };
  const dirs = new Map<string, SyncDir>([
    ['context', context],
    ['dockerfile', { root: path.dirname(files.dockerfilePath) }],
  ]);
  const session = await openBuildSession(docker, { dirs, sharedKey: sharedKeyFor(files.contextDir) });
  return Object.assign(session, { kind: 'session' as const, dockerfile: path.basename(files.dockerfilePath) });
}

/**
 * POST /build for a session build: no body, `remote=client-session`, the session's ID and the Dockerfile's
 * name in its folder. `query` is the same /build query a tar upload sends.
 */
export function requestSessionBuild(
  docker: Docker,
  session: ContextSession,
  query: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<NodeJS.ReadableStream> {
  const options: Record<string, unknown> = {
    ...query,
    session: session.id,
    remote: 'client-session',
    dockerfile: session.dockerfile,
  };
  delete options.abortSignal;
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/build?',
        method: 'POST',
        // An empty body: docker-modem would otherwise send the query again as JSON.
        file: Buffer.alloc(0),
        options,
        ...(signal ? { abortSignal: signal } : {}),
        isStream: true,
        statusCodes: { 200: true, 500: 'server error' },
      },
      (err: Error | null, stream: unknown) => (err ? reject(err) : resolve(stream as NodeJS.ReadableStream)),
    );
  });
}
