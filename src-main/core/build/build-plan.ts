import path from 'node:path';
import { resolveBuildFiles, type BuildFiles, type ContextBuilder } from '../context/context-build-files';
import { builderUnavailable, chooseBuilder } from './choose-builder';

/** The engine a build goes to, as far as the builder choice cares. */
export interface EngineIdentity {
  product: string;
  apiVersion: string;
}

/** What a build will do with a context: the builder, and the Dockerfile and ignore rules it packs with. */
export interface BuildPlan {
  builder: ContextBuilder;
  /** Exactly the files and rules the tar is packed from (the panel, the build and the CLI all use these). */
  files: BuildFiles;
  /** Why `auto` chose as it did, or what an explicit choice will cost; shown in the panel and the build log. */
  note?: string;
}

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
}

const them = (paths: string[]): string => (paths.length === 1 ? 'it' : 'them');

/** Files BuildKit through the engine API must carry although the ignore rules exclude them. */
function forcedPaths(files: BuildFiles): string[] {
  return files.forcedPatterns.map((p) => p.replace(/^!/, ''));
}

function ignoreName(files: BuildFiles): string {
  return files.ignoreFile ? path.basename(files.ignoreFile.path) : '.dockerignore';
}

/** The classic builder never reads `<Dockerfile>.dockerignore`: say so when one exists, since its rules are then not applied. */
function classicPlan(classic: BuildFiles, buildkit: BuildFiles | undefined): BuildPlan {
  if (buildkit?.ignoreFile?.kind !== 'dockerfile-specific') return { builder: 'classic', files: classic };
  const specific = path.basename(buildkit.ignoreFile.path);
  const instead = classic.ignoreFile
    ? 'it applies .dockerignore instead'
    : 'with no .dockerignore, it sends everything';
  return {
    builder: 'classic',
    files: classic,
    note: `Warning: the classic builder does not read ${specific}; ${instead}.`,
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
    return { builder: 'buildkit', files, ...(refused ? { note: refused } : {}) };
  }
  const files = await resolveBuildFiles({ ...where, builder: 'classic', ignoreReader: 'buildah' });
  // Rules Docker would apply that Buildah does not: a .containerignore hides the .dockerignore Docker reads.
  const chosen = files.ignoreFile ? path.basename(files.ignoreFile.path) : undefined;
  if (!chosen?.endsWith('.containerignore')) return { builder: 'classic', files };
  const docker = await resolveBuildFiles({ ...where, builder: 'buildkit' }).catch(() => undefined);
  if (!docker?.ignoreFile) return { builder: 'classic', files };
  const hidden = path.basename(docker.ignoreFile.path);
  return {
    builder: 'classic',
    files,
    note: `Podman builds with Buildah, which reads ${chosen} before ${hidden}: the rules in ${hidden} are not applied.`,
  };
}

/**
 * The one rule for which builder a build uses and which ignore file decides its context. The context
 * panel, `build.start` and `strata context` all call this, so what the panel lists is what is uploaded.
 *
 * - `classic`: the context's `.dockerignore` only (docker/cli never reads `<Dockerfile>.dockerignore`
 *   on that path), with the Dockerfile and `.dockerignore` forced in; the daemon removes them again.
 * - `buildkit`: `<Dockerfile>.dockerignore` when present, else `.dockerignore`. Through the engine API
 *   the frontend reads the Dockerfile and ignore file from the uploaded tar, so excluded ones are forced
 *   in (and visible to `COPY .`): a warning says so.
 * - `auto`: BuildKit where the engine has it; the classic builder when BuildKit would have to force
 *   excluded build files in and the rules come from `.dockerignore` (the classic builder applies the
 *   same rules and its daemon removes those files, as `docker build` leaves them out). When the rules
 *   come from `<Dockerfile>.dockerignore`, switching would drop them altogether (the classic builder
 *   ignores that file and would send what it excludes), so BuildKit is kept, with the warning.
 */
export async function planBuild(options: PlanBuildOptions): Promise<BuildPlan> {
  const where = {
    contextDir: options.contextDir,
    ...(options.dockerfile !== undefined ? { dockerfile: options.dockerfile } : {}),
  };
  const engineChoice: ContextBuilder =
    options.requested === 'auto' && !options.engine ? 'buildkit' : chooseBuilder(options.requested, options.engine);
  if (options.engine?.product === 'Podman') return buildahPlan(where, engineChoice, options.engine);
  if (engineChoice === 'classic') {
    const classic = await resolveBuildFiles({ ...where, builder: 'classic' });
    // Only to warn about a Dockerfile-specific ignore file; the classic build never reads it, so its errors do not count.
    const buildkit = await resolveBuildFiles({ ...where, builder: 'buildkit' }).catch(() => undefined);
    return classicPlan(classic, buildkit);
  }
  const buildkit = await resolveBuildFiles({ ...where, builder: 'buildkit', forceBuildFiles: true });
  const exposed = forcedPaths(buildkit);
  if (exposed.length === 0) return { builder: 'buildkit', files: buildkit };
  const listed = exposed.join(' and ');
  const name = ignoreName(buildkit);
  if (options.requested === 'auto' && buildkit.ignoreFile?.kind === 'context') {
    return {
      builder: 'classic',
      files: await resolveBuildFiles({ ...where, builder: 'classic' }),
      note: `Using the classic builder: ${name} excludes ${listed}, and BuildKit through the engine API would have to send ${them(exposed)} in the context (visible to COPY). The classic builder removes ${them(exposed)}, as docker build does.`,
    };
  }
  const advice =
    buildkit.ignoreFile?.kind === 'dockerfile-specific'
      ? ` The classic builder is no way out: it does not read ${name}, so it would send everything ${name} excludes.`
      : ` Choose Automatic or the classic builder to keep ${them(exposed)} out.`;
  return {
    builder: 'buildkit',
    files: buildkit,
    note: `Warning: ${name} excludes ${listed}, but BuildKit through the engine API needs ${them(exposed)} in the context, where COPY can see ${them(exposed)}.${advice}`,
  };
}
