import { relative, sep } from 'node:path';
import type Docker from 'dockerode';
import { type BuildFiles, resolveBuildFiles } from '../context/context-build-files';
import { createContextTar } from '../context/context-pack';
import { scanBuildFiles } from '../context/context-scan';
import { StrataError } from '$shared/engine/errors';
import type { BuildEvent } from './build-events';
import type { BuildHistoryStore, BuildRecord } from './build-history-store';
import { dockerfileOutline } from './dockerfile-outline';
import { type BuildOptions, runBuild } from './run-build';
import { baseImageIds } from './base-image-ids';
import { contextFingerprints } from './context-fingerprints';
import { readRegularFile } from '../files/user-path';
import { type ContextSession, openContextSession, SessionRefusedError } from './session/context-session';
import type { ContextTransfer } from './session/session-support';
import { dockerfileProblems } from '$shared/dockerfile/dockerfile-problems';

/**
 * Podman 4.3's service panics on an `ARG` with no name (a nil pointer in Buildah's warnOnUnsetBuildArgs) and
 * exits. Every builder refuses that line anyway, so a build planned for Buildah (files.ignoreReader, set only
 * on Podman) is refused here, before anything is sent.
 */
function refuseWhatStopsPodman(dockerfileText: string, dockerfilePath: string): void {
  const bare = dockerfileProblems(dockerfileText).find((p) => p.message === 'ARG requires at least one argument');
  if (!bare) return;
  throw new StrataError(
    'invalid-input',
    `Line ${bare.line} of the Dockerfile: ARG requires at least one argument. Not sent to Podman: its builder stops the whole Podman service on this line. Give the ARG a name (ARG NAME or ARG NAME=value).`,
    { path: dockerfilePath, line: bare.line },
  );
}

export interface BuildDirectoryOptions {
  docker: Docker;
  /**
   * The context folder, Dockerfile and ignore rules to pack, from planBuild (core/build/build-plan), the
   * rule the context panel shows; its builder must be `options.builder`.
   */
  files: BuildFiles;
  options: Omit<BuildOptions, 'dockerfile'>;
  /** Where the build is kept once finished (every build, cancelled ones too). */
  history: BuildHistoryStore;
  signal?: AbortSignal;
  onEvent?: (event: BuildEvent) => void;
  /** See RunBuildOptions.onEngineLost. */
  onEngineLost?: (containerIds: string[]) => void | Promise<void>;
  /**
   * How BuildKit gets the context, as planned (BuildPlan.transfer): `session` (default) through a session,
   * falling back to a tar when the engine refuses one; `tar` always uploads the tar. `files` must then be
   * planned for it (an excluded Dockerfile forced in). The classic builder always takes the tar.
   */
  contextTransfer?: ContextTransfer;
  /** The engine refused the session: remember it, so later plans match the tar (see SessionRefusals). */
  onSessionRefused?: (message: string) => void;
}

/**
 * The files a tar fallback must carry: BuildKit's frontend reads the Dockerfile and ignore file from the tar,
 * so ones the rules exclude are forced in (the session plan left them out). Undefined when nothing changes.
 */
async function tarFallbackFiles(files: BuildFiles): Promise<BuildFiles | undefined> {
  if (files.forcedPatterns.length) return undefined;
  const forced = await resolveBuildFiles({
    contextDir: files.contextDir,
    dockerfile: files.dockerfilePath,
    builder: 'buildkit',
    forceBuildFiles: true,
  });
  return forced.forcedPatterns.length ? forced : undefined;
}

/**
 * Build a context folder as `docker build` would: pack the context with its `.dockerignore` rules (an
 * unreadable file stops the build before anything is sent), name each step's Dockerfile line, run the
 * build and keep it in history. Resolves with the kept record; context problems are thrown.
 */
export async function buildDirectory(options: BuildDirectoryOptions): Promise<BuildRecord> {
  if (options.files.builder !== options.options.builder)
    throw new Error(`packed for ${options.files.builder} but building with ${options.options.builder}`);
  const scanOptions = options.signal ? { signal: options.signal } : {};
  let scan = await scanBuildFiles(options.files, scanOptions);
  const dockerfileText = (await readRegularFile(scan.dockerfile.path)).toString('utf8');
  if (options.files.ignoreReader === 'buildah') refuseWhatStopsPodman(dockerfileText, scan.dockerfile.path);
  const outline = dockerfileOutline(dockerfileText);
  // Hashed before the build reads the files, so the record says what this build was given.
  const earlier = await options.history
    .previousFiles({ contextDir: scan.contextDir, dockerfile: scan.dockerfile.relPath, options: options.options })
    .catch(() => undefined);
  let filesHashedAt = Date.now();
  let files = await contextFingerprints(scan.entries, earlier);

  // Opened last, as runBuild closes it (or the tar) whatever happens.
  const notes: string[] = [];
  let session: ContextSession | undefined;
  if (options.options.builder === 'buildkit' && options.contextTransfer !== 'tar') {
    try {
      session = await openContextSession(options.docker, options.files);
    } catch (err) {
      if (!(err instanceof SessionRefusedError)) throw err;
      const answer = err.message.trim();
      options.onSessionRefused?.(answer);
      notes.push(
        `The engine refused a BuildKit session (${answer}), so the whole context is uploaded as a tar instead of only the files that changed.`,
      );
      const forced = await tarFallbackFiles(options.files);
      if (forced) {
        const listed = forced.forcedPatterns.map((p) => p.slice(1));
        notes.push(
          `Warning: the tar must carry ${listed.join(' and ')}, which the ignore rules exclude (BuildKit reads ${listed.length === 1 ? 'it' : 'them'} from the tar), where COPY can see ${listed.length === 1 ? 'it' : 'them'}.`,
        );
        scan = await scanBuildFiles(forced, scanOptions);
        filesHashedAt = Date.now();
        files = await contextFingerprints(scan.entries, earlier);
      }
    }
  }
  const dockerfileInTar = scan.dockerfile.inContext
    ? scan.dockerfile.relPath
    : scan.entries.find((e) => /^\.dockerfile\.[0-9a-f]+$/.test(e.path))?.path;
  if (!session && !dockerfileInTar) {
    throw new StrataError(
      'invalid-input',
      `The Dockerfile ${scan.dockerfile.path} is outside the context folder: BuildKit can only build it from inside when the engine takes a session. Move it into ${scan.contextDir} or use the classic builder.`,
      { path: scan.dockerfile.path },
    );
  }
  const context = session ?? createContextTar(scan, options.signal ? { signal: options.signal } : {});
  const outcome = await runBuild({
    docker: options.docker,
    context,
    contextSize: session ? null : scan.totalBytes,
    ...options.options,
    dockerfile: dockerfileInTar ?? scan.dockerfile.relPath,
    ...(notes.length ? { notes } : {}),
    outline,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.onEngineLost ? { onEngineLost: options.onEngineLost } : {}),
  });
  const baseImages = await baseImageIds(options.docker, outcome.steps);
  const ignoreFile = scan.ignoreFile ? relative(scan.contextDir, scan.ignoreFile.path).split(sep).join('/') : undefined;
  return options.history.add({
    contextDir: scan.contextDir,
    dockerfile: scan.dockerfile.relPath,
    options: { ...options.options },
    outcome,
    files,
    filesHashedAt,
    baseImages,
    ...(ignoreFile && !ignoreFile.startsWith('..') ? { ignoreFile } : {}),
  });
}
