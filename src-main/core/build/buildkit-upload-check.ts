import { resolveBuildFiles } from '../context/context-build-files';

/**
 * Whether a BuildKit build through the engine's API would expose files Docker keeps out. The API takes
 * the context as a tar, from which BuildKit's frontend reads the Dockerfile and ignore file, so they must
 * be in it even when `.dockerignore` excludes them — and then `COPY .` sees them, which `docker build`
 * (buildx, with its own file sync) never allows. Returns the paths that would be forced in.
 */
export async function buildkitWouldExpose(options: { contextDir: string; dockerfile?: string }): Promise<string[]> {
  const files = await resolveBuildFiles({
    contextDir: options.contextDir,
    ...(options.dockerfile ? { dockerfile: options.dockerfile } : {}),
    builder: 'buildkit',
    forceBuildFiles: true,
  });
  return files.forcedPatterns.map((p) => p.replace(/^!/, ''));
}

/**
 * The builder `auto` means for this context: BuildKit where the engine has it, except when the context
 * excludes its own Dockerfile or ignore file. Then the classic builder, whose daemon removes them after
 * reading them, gives the image Docker's BuildKit would (those files absent), and the note says why.
 */
export async function builderForContext(options: {
  contextDir: string;
  dockerfile?: string;
  engineDefault: 'classic' | 'buildkit';
}): Promise<{ builder: 'classic' | 'buildkit'; note?: string }> {
  if (options.engineDefault === 'classic') return { builder: 'classic' };
  const exposed = await buildkitWouldExpose(options);
  if (exposed.length === 0) return { builder: 'buildkit' };
  return {
    builder: 'classic',
    note: `Using the classic builder: .dockerignore excludes ${exposed.join(' and ')}, and BuildKit through the engine API would have to send ${exposed.length === 1 ? 'it' : 'them'} in the context (visible to COPY). The classic builder removes ${exposed.length === 1 ? 'it' : 'them'}, as docker build does.`,
  };
}
