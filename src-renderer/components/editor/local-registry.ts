/**
 * Stands in for the language service's Docker Hub client: FROM tag completion answers from the images on
 * the local engine, so the editor never reaches a registry.
 */
export interface LocalRegistry {
  /** Tags of a repository as written in FROM (`busybox` also matches `docker.io/library/busybox`). */
  getTags(image: string, prefix?: string): Promise<string[]>;
}

/** The repository part of a reference written in a Dockerfile, without a registry's default names. */
export function normalizeRepository(name: string): string {
  let n = name.toLowerCase();
  if (n.startsWith('docker.io/')) n = n.slice('docker.io/'.length);
  if (n.startsWith('index.docker.io/')) n = n.slice('index.docker.io/'.length);
  if (n.startsWith('library/')) n = n.slice('library/'.length);
  return n;
}

/** `repo:tag` split at the last ":" after the last "/" (a registry port has a ":" too). */
export function splitReference(reference: string): { repository: string; tag: string | undefined } {
  const at = reference.indexOf('@');
  const named = at >= 0 ? reference.slice(0, at) : reference;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  return colon > slash
    ? { repository: named.slice(0, colon), tag: named.slice(colon + 1) }
    : { repository: named, tag: undefined };
}

/** A LocalRegistry over `repository:tag` references of local images. */
export function localRegistry(references: () => readonly string[]): LocalRegistry {
  return {
    getTags(image, prefix) {
      const wanted = normalizeRepository(image);
      const tags = new Set<string>();
      for (const ref of references()) {
        const { repository, tag } = splitReference(ref);
        if (tag && normalizeRepository(repository) === wanted && (!prefix || tag.startsWith(prefix))) tags.add(tag);
      }
      return Promise.resolve([...tags].sort());
    },
  };
}
