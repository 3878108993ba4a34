import { readdir } from 'node:fs/promises';

/**
 * Names that are Dockerfiles by convention: Dockerfile, Containerfile (Podman/Buildah), their lower-case
 * forms, `<name>.Dockerfile` / `<name>.Containerfile` and `Dockerfile.<name>` / `Containerfile.<name>`.
 * Ignore files (`Dockerfile.dockerignore`) are not Dockerfiles.
 */
export function isDockerfileName(name: string): boolean {
  if (name.toLowerCase().endsWith('.dockerignore') || name.toLowerCase().endsWith('.containerignore')) return false;
  return /^(dockerfile|containerfile)(\..+)?$/i.test(name) || /^.+\.(dockerfile|containerfile)$/i.test(name);
}

// Plain `Dockerfile` first (docker build's default), then Containerfile, then the rest by name.
function rank(name: string): number {
  if (name === 'Dockerfile') return 0;
  if (name === 'dockerfile') return 1;
  if (name === 'Containerfile') return 2;
  if (name === 'containerfile') return 3;
  return 4;
}

/** The Dockerfile candidates at the top of a context folder, the default first. */
export async function findDockerfiles(contextDir: string): Promise<string[]> {
  const entries = await readdir(contextDir, { withFileTypes: true });
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && isDockerfileName(e.name))
    .map((e) => e.name)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
