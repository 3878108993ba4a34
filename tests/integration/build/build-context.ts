import type Docker from 'dockerode';
import { familiarNames } from '$shared/images/reference';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';

/** A small build context as a tar in memory: the tests' input, not the app's packer. */
export async function contextTar(files: Record<string, string>): Promise<{ stream: () => Readable; size: number }> {
  const tar = pack();
  for (const [name, content] of Object.entries(files)) tar.entry({ name, mode: 0o644 }, content);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar as AsyncIterable<Buffer>) chunks.push(chunk);
  const buffer = Buffer.concat(chunks);
  return { stream: () => Readable.from([buffer]), size: buffer.length };
}

/**
 * Removes every image whose history mentions `nonce` (tagged results and the classic builder's
 * intermediate images), children first. Only this test file's builds carry the nonce.
 */
export async function removeImagesWithNonce(docker: Docker, nonce: string): Promise<number> {
  const images = await docker.listImages({ all: true });
  const ours: Array<{ id: string; created: number; tags: string[] }> = [];
  for (const image of images) {
    const history = (await docker
      .getImage(image.Id)
      .history()
      .catch(() => [])) as Array<{ CreatedBy?: string }>;
    if (history.some((h) => h.CreatedBy?.includes(nonce))) {
      ours.push({
        id: image.Id,
        created: image.Created,
        tags: familiarNames(image.RepoTags).filter((t) => t !== '<none>:<none>'),
      });
    }
  }
  ours.sort((a, b) => b.created - a.created);
  for (const image of ours) {
    for (const tag of image.tags)
      await docker
        .getImage(tag)
        .remove()
        .catch(() => undefined);
    await docker
      .getImage(image.id)
      .remove({ force: true })
      .catch(() => undefined);
  }
  return ours.length;
}

/** Containers whose command mentions `nonce`: what a build of this test file could leave behind. */
export async function containersWithNonce(docker: Docker, nonce: string): Promise<string[]> {
  const containers = await docker.listContainers({ all: true });
  return containers.filter((c) => c.Command.includes(nonce)).map((c) => c.Id);
}
