import type Docker from 'dockerode';
import type { BuildFiles } from '../context/context-build-files';
import { createContextTar } from '../context/context-pack';
import { scanBuildFiles } from '../context/context-scan';
import { StrataError } from '../engine/errors';
import type { BuildEvent } from './build-events';
import type { BuildHistoryStore, BuildRecord } from './build-history-store';
import { dockerfileOutline } from './dockerfile-outline';
import { type BuildOptions, runBuild } from './run-build';
import { readRegularFile } from '../files/user-path';

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
}

/**
 * Build a context folder as `docker build` would: pack the context with its `.dockerignore` rules (an
 * unreadable file stops the build before anything is sent), name each step's Dockerfile line, run the
 * build and keep it in history. Resolves with the kept record; context problems are thrown.
 */
export async function buildDirectory(options: BuildDirectoryOptions): Promise<BuildRecord> {
  if (options.files.builder !== options.options.builder)
    throw new Error(`packed for ${options.files.builder} but building with ${options.options.builder}`);
  const scan = await scanBuildFiles(options.files, options.signal ? { signal: options.signal } : {});
  const stream = createContextTar(scan, options.signal ? { signal: options.signal } : {});
  const dockerfileInTar = scan.dockerfile.inContext
    ? scan.dockerfile.relPath
    : scan.entries.find((e) => /^\.dockerfile\.[0-9a-f]+$/.test(e.path))?.path;
  if (!dockerfileInTar) {
    stream.destroy();
    throw new StrataError(
      'invalid-input',
      `The Dockerfile ${scan.dockerfile.path} is outside the context folder: BuildKit can only build it from inside. Move it into ${scan.contextDir} or use the classic builder.`,
      { path: scan.dockerfile.path },
    );
  }
  const outline = dockerfileOutline((await readRegularFile(scan.dockerfile.path)).toString('utf8'));
  const outcome = await runBuild({
    docker: options.docker,
    context: stream,
    contextSize: scan.totalBytes,
    ...options.options,
    dockerfile: dockerfileInTar,
    outline,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  return options.history.add({
    contextDir: scan.contextDir,
    dockerfile: scan.dockerfile.relPath,
    options: { ...options.options },
    outcome,
  });
}
