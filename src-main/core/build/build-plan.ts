import path from 'node:path';
import { resolveBuildFiles, type BuildFiles, type ContextBuilder } from '../context/context-build-files';
import { builderUnavailable, chooseBuilder } from './choose-builder';
import { type ContextTransfer, sessionExpected } from './session/session-support';

/** The engine a build goes to, as far as the builder choice cares. */
export interface EngineIdentity {
  product: string;
  apiVersion: string;
  /** Where it answers: tells engines apart when one of them refused a session. */
  address?: string;
}

/** What a build will do with a context: the builder, and the Dockerfile and ignore rules it packs with. */
export interface BuildPlan {
  builder: ContextBuilder;
  /**
   * Exactly the files and rules the context is sent from, as a tar or through BuildKit's session (the panel,
   * the build and the CLI all use these).
   */
  files: BuildFiles;
  /** How the context goes: always a tar for the classic builder; BuildKit takes a session where the engine has one. */
  transfer: ContextTransfer;
  /** Why `auto` chose as it did, or what an explicit choice will cost; shown in the panel and the build log. */
  note?: string;
  /** What the note is, so no screen shows information as a warning or a warning as an error. */
  noteTone?: NoteTone;
}

/** A plan's note: how the context goes (information), or rules not applied and files exposed (a warning). */
export type NoteTone = 'info' | 'warning';

export interface PlanBuildOptions {
  contextDir: string;
  /** Relative to the context directory, or absolute. */
  dockerfile?: string;
  requested: ContextBuilder | 'auto';
  /**
   * The connected engine. Undefined when none is connected: `auto` then plans for Docker's default,
   * BuildKit, so the panel shows something sensible before the engine is back.
   */
  engine: EngineIdentity | undefined;
  /**
   * How a BuildKit build would get the context. Default: a session where the engine takes one (see
   * session/session-support), which is also what is planned with no engine connected.
   */
  contextTransfer?: ContextTransfer;
  /** The engine's answer when it refused a session before: said in the note of a plan for the tar. */
  sessionRefusal?: string;
}

/**
 * Which builder family a plan is for: Podman builds with Buildah, any other engine (and none at all: Docker's
 * default) as Docker Engine does. The one test planBuild itself uses, for what `strata context` reports.
 */
export function plannedEngineKind(engine: EngineIdentity | undefined): 'docker' | 'podman' {
  return engine?.product === 'Podman' ? 'podman' : 'docker';
}

const them = (paths: string[]): string => (paths.length === 1 ? 'it' : 'them');

/** Files a BuildKit tar upload must carry although the ignore rules exclude them. */
function forcedPaths(files: BuildFiles): string[] {
  return files.forcedPatterns.map((p) => p.replace(/^!/, ''));
}

function ignoreName(files: BuildFiles): string {
  return files.ignoreFile ? path.basename(files.ignoreFile.path) : '.dockerignore';
}

/** The classic builder never reads `<Dockerfile>.dockerignore`: say so when one exists, since its rules are then not applied. */
function classicPlan(classic: BuildFiles, buildkit: BuildFiles | undefined): BuildPlan {
  if (buildkit?.ignoreFile?.kind !== 'dockerfile-specific')
    return { builder: 'classic', files: classic, transfer: 'tar' };
  const specific = path.basename(buildkit.ignoreFile.path);
  const instead = classic.ignoreFile
    ? 'it applies .dockerignore instead'
    : 'with no .dockerignore, it sends everything';
  return {
    builder: 'classic',
    files: classic,
    transfer: 'tar',
    note: `Warning: the classic builder does not read ${specific}; ${instead}.`,
    noteTone: 'warning',
  };
}

/**
 * Podman builds with Buildah behind its Docker-compatible API (the classic builder's endpoint), and Buildah
 * applies the ignore rules itself to every `COPY` and `ADD`, reading them from the unpacked context:
 * `<Dockerfile>.dockerignore`, `<Dockerfile>.containerignore`, `.containerignore`, `.dockerignore`, first
 * found wins. The context is packed with the same file and rules, so what the panel lists as sent is what
 * those instructions can see (the Dockerfile and ignore file are sent for Buildah to read, and left out
 * by it again when the rules exclude them, as Docker's classic daemon does). BuildKit asked for explicitly
 * is planned as on Docker, with the refusal build.start gives as the note.
 */
async function buildahPlan(
  where: { contextDir: string; dockerfile?: string },
  choice: ContextBuilder,
  engine: EngineIdentity,
): Promise<BuildPlan> {
  if (choice === 'buildkit') {
    const files = await resolveBuildFiles({ ...where, builder: 'buildkit', forceBuildFiles: true });
    const refused = builderUnavailable('buildkit', engine);
    return { builder: 'buildkit', files, transfer: 'tar', ...(refused ? { note: refused, noteTone: 'warning' } : {}) };
  }
  const files = await resolveBuildFiles({ ...where, builder: 'classic', ignoreReader: 'buildah' });
  // Rules Docker would apply that Buildah does not: a .containerignore hides the .dockerignore Docker reads.
  const chosen = files.ignoreFile ? path.basename(files.ignoreFile.path) : undefined;
  if (!chosen?.endsWith('.containerignore')) return { builder: 'classic', files, transfer: 'tar' };
  const docker = await resolveBuildFiles({ ...where, builder: 'buildkit' }).catch(() => undefined);
  if (!docker?.ignoreFile) return { builder: 'classic', files, transfer: 'tar' };
  const hidden = path.basename(docker.ignoreFile.path);
  return {
    builder: 'classic',
    files,
    transfer: 'tar',
    note: `Podman builds with Buildah, which reads ${chosen} before ${hidden}: the rules in ${hidden} are not applied.`,
    noteTone: 'warning',
  };
}

/** The Dockerfile and ignore file, where they are in the context and its rules exclude them. */
function excludedBuildFiles(files: BuildFiles): string[] {
  const own = [files.dockerfileRelPath];
  if (files.ignoreFile) own.push(path.relative(files.contextDir, files.ignoreFile.path).split(path.sep).join('/'));
  return own.filter((p) => !p.startsWith('../') && files.matcher.matchesOrParentMatches(p));
}

/**
 * BuildKit through a session, as `docker build` with buildx sends it: the ignore rules apply to every path,
 * the Dockerfile and its ignore file included (they travel in a folder of their own), and the engine asks
 * only for the files that changed since it last built the folder.
 */
function sessionPlan(buildkit: BuildFiles): BuildPlan {
  const excluded = excludedBuildFiles(buildkit);
  const kept = excluded.length
    ? ` ${ignoreName(buildkit)} excludes ${excluded.join(' and ')}, so COPY cannot see ${them(excluded)}.`
    : '';
  return {
    builder: 'buildkit',
    files: buildkit,
    transfer: 'session',
    note: `BuildKit takes the context through a session: the Dockerfile travels on its own, not in the context.${kept} After the first build of this folder, only the files that changed are sent.`,
    noteTone: 'info',
  };
}

/**
 * The one rule for which builder a build uses, which ignore file decides its context and how the context
 * goes. The context panel, `build.start`, `strata build` and `strata context` all call this, so what the
 * panel lists is what is sent.
 *
 * - `classic`: a tar, with the context's `.dockerignore` only (docker/cli never reads
 *   `<Dockerfile>.dockerignore` on that path), and the Dockerfile and `.dockerignore` forced in; the
 *   daemon removes them again.
 * - `buildkit`: `<Dockerfile>.dockerignore` when present, else `.dockerignore`. Through a session (the
 *   default, where the engine takes one) the rules apply to every path and the Dockerfile travels on its
 *   own. As a tar (the engine refused a session, or takes none) the frontend reads the Dockerfile and
 *   ignore file from the tar, so excluded ones are forced in (and visible to `COPY .`): a warning says so.
 * - `auto`: BuildKit where the engine has it. When it has to take a tar, the classic builder if BuildKit
 *   would have to force excluded build files in and the rules come from `.dockerignore` (the classic
 *   builder applies the same rules and its daemon removes those files, as `docker build` leaves them
 *   out). When the rules come from `<Dockerfile>.dockerignore`, switching would drop them altogether (the
 *   classic builder ignores that file and would send what it excludes), so BuildKit is kept, with the warning.
 */
export async function planBuild(options: PlanBuildOptions): Promise<BuildPlan> {
  const where = {
    contextDir: options.contextDir,
    ...(options.dockerfile !== undefined ? { dockerfile: options.dockerfile } : {}),
  };
  const engineChoice: ContextBuilder =
    options.requested === 'auto' && !options.engine ? 'buildkit' : chooseBuilder(options.requested, options.engine);
  if (options.engine && plannedEngineKind(options.engine) === 'podman')
    return buildahPlan(where, engineChoice, options.engine);
  if (engineChoice === 'classic') {
    const classic = await resolveBuildFiles({ ...where, builder: 'classic' });
    // Only to warn about a Dockerfile-specific ignore file; the classic build never reads it, so its errors do not count.
    const buildkit = await resolveBuildFiles({ ...where, builder: 'buildkit' }).catch(() => undefined);
    return classicPlan(classic, buildkit);
  }
  const transfer = options.contextTransfer ?? (sessionExpected(options.engine) ? 'session' : 'tar');
  if (transfer === 'session') return sessionPlan(await resolveBuildFiles({ ...where, builder: 'buildkit' }));
  return tarPlan(await resolveBuildFiles({ ...where, builder: 'buildkit', forceBuildFiles: true }), options);
}

/** BuildKit taking the context as a tar: what the frontend reads must be in it (see planBuild). */
async function tarPlan(buildkit: BuildFiles, options: PlanBuildOptions): Promise<BuildPlan> {
  const why =
    options.sessionRefusal !== undefined
      ? `the engine refused a BuildKit session (${options.sessionRefusal.trim()}), so the context goes as a tar`
      : options.engine
        ? 'this engine takes no BuildKit session, so the context goes as a tar'
        : 'as a tar';
  const exposed = forcedPaths(buildkit);
  if (exposed.length === 0) {
    return {
      builder: 'buildkit',
      files: buildkit,
      transfer: 'tar',
      ...(options.sessionRefusal !== undefined
        ? { note: `BuildKit: ${why}, whole at every build.`, noteTone: 'info' as const }
        : {}),
    };
  }
  const listed = exposed.join(' and ');
  const name = ignoreName(buildkit);
  if (options.requested === 'auto' && buildkit.ignoreFile?.kind === 'context') {
    return {
      builder: 'classic',
      files: await resolveBuildFiles({
        contextDir: options.contextDir,
        ...(options.dockerfile !== undefined ? { dockerfile: options.dockerfile } : {}),
        builder: 'classic',
      }),
      transfer: 'tar',
      note: `Using the classic builder: ${name} excludes ${listed}, and BuildKit (${why}) would have to send ${them(exposed)} in the context (visible to COPY). The classic builder removes ${them(exposed)}, as docker build does.`,
      noteTone: 'info',
    };
  }
  const advice =
    buildkit.ignoreFile?.kind === 'dockerfile-specific'
      ? ` The classic builder is no way out: it does not read ${name}, so it would send everything ${name} excludes.`
      : ` Choose Automatic or the classic builder to keep ${them(exposed)} out.`;
  return {
    builder: 'buildkit',
    files: buildkit,
    transfer: 'tar',
    note: `Warning: ${name} excludes ${listed}, but BuildKit (${why}) needs ${them(exposed)} in the context, where COPY can see ${them(exposed)}.${advice}`,
    noteTone: 'warning',
  };
}
