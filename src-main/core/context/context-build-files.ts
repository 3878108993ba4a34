import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { readDockerignoreLines, type DockerignoreLine } from './dockerignore-file';
import { DockerignoreError, PatternMatcher } from './dockerignore-matcher';
import { ContextError } from './context-errors';
import { fileKind, readRegularFile } from '../files/user-path';

/** Which builder will receive the context: they treat the Dockerfile and the ignore file differently. */
export type ContextBuilder = 'classic' | 'buildkit';

/** What to resolve: the context directory, the Dockerfile (relative to the context, or absolute). */
export interface BuildFilesOptions {
  contextDir: string;
  /** Relative to the context directory, or absolute. Default `Dockerfile` (or `dockerfile` if only that exists). */
  dockerfile?: string;
  /** Default 'buildkit', Docker's default builder. */
  builder?: ContextBuilder;
  /**
   * BuildKit only: keep the Dockerfile and its ignore file in the context even when the rules exclude
   * them. Needed when the context is uploaded as a tar to the engine's build API (the frontend then
   * reads both from the tar); `docker build` with buildx sends them separately and does not need it.
   */
  forceBuildFiles?: boolean;
  /**
   * Whose reading of the ignore files: `docker` (docker/cli and BuildKit, the default) or `buildah`
   * (Podman's compatibility API builds with Buildah, which reads the ignore file from the uploaded context
   * itself). Only with the classic builder, the one Podman's API offers.
   */
  ignoreReader?: IgnoreReader;
}

/** Who reads the ignore file: docker/cli (or BuildKit) before sending, or Buildah inside Podman after unpacking. */
export type IgnoreReader = 'docker' | 'buildah';

/** The context directory, Dockerfile and ignore rules a build will use, decided as Docker decides them. */
export interface BuildFiles {
  builder: ContextBuilder;
  /** Whose rules chose the ignore file and the build files forced in (see BuildFilesOptions.ignoreReader). */
  ignoreReader: IgnoreReader;
  /** Absolute, symlinks resolved (filepath.EvalSymlinks, as docker/cli does). */
  contextDir: string;
  /** Absolute path of the Dockerfile, symlinks resolved. */
  dockerfilePath: string;
  /** The Dockerfile relative to the context, `/`-separated (starts with `../` when outside). */
  dockerfileRelPath: string;
  dockerfileInContext: boolean;
  /** The ignore file in effect, or null when there is none. */
  ignoreFile: { path: string; kind: 'dockerfile-specific' | 'context'; content: Buffer } | null;
  /** Patterns from the ignore file, with their lines. */
  ignoreLines: DockerignoreLine[];
  /**
   * Exceptions appended so the Dockerfile and ignore file are sent although the rules exclude them: docker/cli's
   * for the classic builder, or the app's for BuildKit through the API and for Buildah. The classic daemon and
   * Buildah leave them out of what `COPY` sees again; BuildKit does not.
   */
  forcedPatterns: string[];
  /** Matcher over ignoreLines + forcedPatterns. */
  matcher: PatternMatcher;
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function resolveContextDir(contextDir: string): Promise<string> {
  const abs = path.resolve(contextDir);
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    if (isNotFound(err))
      throw new ContextError('not-found', `unable to prepare context: path "${contextDir}" not found`, {
        path: contextDir,
      });
    throw new ContextError('invalid-input', `unable to evaluate symlinks in context path: ${(err as Error).message}`, {
      path: contextDir,
    });
  }
  const st = await lstat(real);
  if (!st.isDirectory())
    throw new ContextError('invalid-input', `context must be a directory: ${real}`, { path: contextDir });
  return real;
}

/**
 * Build files are read whole before anything is sent. A named pipe would block that read for ever
 * (the docker CLI hangs there too) and a device could be endless: refuse anything but a regular file.
 */
async function requireRegularFile(file: string, what: string): Promise<void> {
  const st = await stat(file);
  if (!st.isFile())
    throw new ContextError(
      'invalid-input',
      `${what} ${file} is ${fileKind(st)}, not a regular file: it cannot be read.`,
      {
        path: file,
      },
    );
}

function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return !(rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel));
}

async function resolveDockerfile(
  contextDir: string,
  given: string | undefined,
): Promise<{ given: string; real: string }> {
  let abs: string;
  if (given === undefined || given === '') {
    abs = path.join(contextDir, 'Dockerfile');
    // docker/cli also accepts a lowercase `dockerfile`, but only when `Dockerfile` is absent.
    const alt = path.join(contextDir, 'dockerfile');
    if (!(await exists(abs)) && (await exists(alt))) abs = alt;
  } else {
    abs = path.isAbsolute(given) ? given : path.join(contextDir, given);
  }
  let real: string;
  try {
    real = await realpath(abs);
  } catch (err) {
    if (isNotFound(err)) throw new ContextError('not-found', `Cannot locate Dockerfile: "${abs}"`, { path: abs });
    throw new ContextError(
      'invalid-input',
      `unable to evaluate symlinks in Dockerfile path: ${(err as Error).message}`,
      { path: abs },
    );
  }
  // A Dockerfile named inside the context that is a symlink out of it: docker build refuses it
  // ("unable to open Dockerfile"), and BuildKit's file sync would send the link, not its target.
  // Sending the target would read a file the context does not hold.
  if (isInside(contextDir, abs) && !isInside(contextDir, real))
    throw new ContextError(
      'invalid-input',
      `unable to open Dockerfile: ${abs} is a symlink to ${real}, outside the context ${contextDir}.`,
      { path: abs },
    );
  await requireRegularFile(real, 'The Dockerfile');
  return { given: abs, real };
}

async function readIgnoreFile(file: string): Promise<Buffer | null> {
  try {
    await requireRegularFile(file, 'The ignore file');
    return await readRegularFile(file);
  } catch (err) {
    if (isNotFound(err)) return null;
    if (err instanceof ContextError) throw err;
    throw new ContextError('invalid-input', `error reading ${path.basename(file)}: ${(err as Error).message}`, {
      path: file,
    });
  }
}

type IgnoreCandidate = { path: string; kind: 'dockerfile-specific' | 'context' };

/**
 * The ignore files a builder looks for, first found wins.
 * - BuildKit: `<Dockerfile>.dockerignore` beside the Dockerfile as named, then the context's `.dockerignore`.
 * - Classic (docker/cli): the context's `.dockerignore` only.
 * - Buildah (Podman's API, imagebuildah reading the unpacked context; measured on Podman 4.3):
 *   `<Dockerfile>.dockerignore`, `<Dockerfile>.containerignore`, then the context's `.containerignore`,
 *   `.dockerignore`, where `<Dockerfile>` is the path the Dockerfile is sent under. A Dockerfile from outside
 *   the context travels as `.dockerfile.<hex>`, which has no ignore file of its own there.
 */
function ignoreCandidates(where: {
  builder: ContextBuilder;
  reader: IgnoreReader;
  contextDir: string;
  dockerfileGiven: string;
  rel: string;
  inContext: boolean;
}): IgnoreCandidate[] {
  const inContextDir = (name: string): IgnoreCandidate => ({
    path: path.join(where.contextDir, name),
    kind: 'context',
  });
  if (where.reader === 'buildah') {
    const sent = path.join(where.contextDir, ...where.rel.split('/'));
    const specific: IgnoreCandidate[] = where.inContext
      ? [
          { path: sent + '.dockerignore', kind: 'dockerfile-specific' },
          { path: sent + '.containerignore', kind: 'dockerfile-specific' },
        ]
      : [];
    return [...specific, inContextDir('.containerignore'), inContextDir('.dockerignore')];
  }
  const specific: IgnoreCandidate[] =
    where.builder === 'buildkit'
      ? [{ path: where.dockerfileGiven + '.dockerignore', kind: 'dockerfile-specific' }]
      : [];
  return [...specific, inContextDir('.dockerignore')];
}

async function findIgnoreFile(candidates: IgnoreCandidate[]): Promise<BuildFiles['ignoreFile']> {
  for (const candidate of candidates) {
    const content = await readIgnoreFile(candidate.path);
    if (content) return { ...candidate, content };
  }
  return null;
}

/**
 * Decide the context directory, the Dockerfile and the ignore rules for a build (context-rules.md §2):
 * BuildKit uses `<Dockerfile>.dockerignore` beside the Dockerfile when it exists, else the context's
 * `.dockerignore`, and forces nothing into the context; the classic builder (docker/cli
 * TrimBuildFilesFromExcludes) reads only the context's `.dockerignore` and appends `!.dockerignore`
 * and `!<Dockerfile>` when the deprecated Matches says they are excluded. With `ignoreReader: 'buildah'`
 * (Podman) the ignore file is the one Buildah reads (see ignoreCandidates), and the Dockerfile and that
 * ignore file are forced in when the rules exclude them: Buildah reads both from the context it unpacks,
 * and leaves what the rules exclude out of every `COPY` and `ADD` itself.
 */
export async function resolveBuildFiles(options: BuildFilesOptions): Promise<BuildFiles> {
  const builder = options.builder ?? 'buildkit';
  const contextDir = await resolveContextDir(options.contextDir);
  const dockerfile = await resolveDockerfile(contextDir, options.dockerfile);
  const rel = path.relative(contextDir, dockerfile.real).split(path.sep).join('/');
  const inContext = !(rel === '..' || rel.startsWith('../') || path.isAbsolute(rel));

  const reader: IgnoreReader = builder === 'classic' ? (options.ignoreReader ?? 'docker') : 'docker';
  const ignoreFile = await findIgnoreFile(
    ignoreCandidates({ builder, reader, contextDir, dockerfileGiven: dockerfile.given, rel, inContext }),
  );

  const file = ignoreFile ? path.basename(ignoreFile.path) : undefined;
  const ignoreLines = readDockerignoreLines(ignoreFile?.content ?? null, file ? { file } : {});
  let matcher = PatternMatcher.create(ignoreLines, file ? { file } : {});

  const forcedPatterns: string[] = [];
  if (reader === 'buildah' || (builder === 'buildkit' && options.forceBuildFiles)) {
    const own = [rel];
    if (ignoreFile) own.push(path.relative(contextDir, ignoreFile.path).split(path.sep).join('/'));
    for (const p of own) {
      if (p.startsWith('../') || !matcher.matchesOrParentMatches(p)) continue;
      forcedPatterns.push('!' + p);
      matcher = PatternMatcher.create([...ignoreLines, ...forcedPatterns]);
    }
  } else if (builder === 'classic') {
    const deprecatedMatch = (p: string): boolean => {
      try {
        return matcher.matches(p);
      } catch (err) {
        if (err instanceof DockerignoreError) throw err;
        return false;
      }
    };
    if (deprecatedMatch('.dockerignore')) {
      forcedPatterns.push('!.dockerignore');
      matcher = PatternMatcher.create([...ignoreLines, ...forcedPatterns]);
    }
    if (deprecatedMatch(rel)) {
      forcedPatterns.push('!' + rel);
      matcher = PatternMatcher.create([...ignoreLines, ...forcedPatterns]);
    }
  }

  return {
    builder,
    ignoreReader: reader,
    contextDir,
    dockerfilePath: dockerfile.real,
    dockerfileRelPath: rel,
    dockerfileInContext: inContext,
    ignoreFile,
    ignoreLines,
    forcedPatterns,
    matcher,
  };
}
