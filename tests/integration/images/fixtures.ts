import type Docker from 'dockerode';
import { familiarNames } from '$shared/images/reference';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { pack } from 'tar-stream';
import { normalizeImageId } from '../../../src-main/core/images/image-id';

const run = promisify(execFile);

/** Bytes that do not compress or dedupe, so sizes are what we wrote. */
export function randomFile(size: number): Buffer {
  return randomBytes(size);
}

/** Build an image with the classic builder (the oracle `docker history` describes), network off. */
export async function buildFixture(
  docker: Docker,
  options: {
    tag: string;
    dockerfile: string;
    files?: Record<string, Buffer | string>;
    labels?: Record<string, string>;
  },
): Promise<string> {
  const context = pack();
  context.entry({ name: 'Dockerfile' }, options.dockerfile);
  for (const [name, content] of Object.entries(options.files ?? {})) context.entry({ name }, content);
  context.finalize();
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, {
    t: options.tag,
    networkmode: 'none',
    rm: true,
    forcerm: true,
    version: '1',
    ...(options.labels ? { labels: options.labels } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null, output: Array<{ error?: string }>) => {
      const failed = output?.find((o) => o.error);
      if (err || failed) reject(err ?? new Error(`build of ${options.tag} failed: ${failed?.error}`));
      else resolve();
    });
  });
  return (await docker.getImage(options.tag).inspect()).Id;
}

/** Run the docker CLI against the test engine (the oracle). */
export async function dockerCli(args: string[]): Promise<string> {
  const { stdout } = await run('docker', args, { env: { ...process.env }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Lines of `--format '{{json .}}'` output, parsed. */
export async function dockerCliJson<T>(args: string[]): Promise<T[]> {
  const out = await dockerCli([...args, '--format', '{{json .}}']);
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** Remove every image whose tags start with `prefix`, and the containers labelled `label`. */
export async function cleanUp(
  docker: Docker,
  options: { prefix: string; containerLabel?: string; imageIds?: string[] },
) {
  if (options.containerLabel) {
    const containers = await docker.listContainers({ all: true, filters: { label: [options.containerLabel] } });
    for (const c of containers)
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
  const tagsOf = (i: Docker.ImageInfo) => familiarNames(i.RepoTags).filter((t) => t !== '<none>:<none>');
  // Children must go before their parents, and creation times tie within a second: repeat until
  // a pass removes nothing more.
  for (let pass = 0; pass < 5; pass++) {
    const images = await docker.listImages({ all: true });
    const ours = images.filter(
      (i) =>
        tagsOf(i).some((t) => t.startsWith(options.prefix)) ||
        options.imageIds?.map(normalizeImageId).includes(normalizeImageId(i.Id)),
    );
    if (ours.length === 0) return;
    ours.sort((a, b) => b.Created - a.Created);
    for (const image of ours) {
      const foreign = tagsOf(image).filter((t) => !t.startsWith(options.prefix));
      if (foreign.length > 0) {
        // A shared image (the busybox base) that we only tagged: remove our tags, never the image.
        for (const tag of tagsOf(image).filter((t) => t.startsWith(options.prefix))) {
          await docker
            .getImage(tag)
            .remove({ noprune: true })
            .catch(() => undefined);
        }
      } else {
        await docker
          .getImage(image.Id)
          .remove({ force: true })
          .catch(() => undefined);
      }
    }
  }
}

/** Create (not start) a container from an image, labelled for clean-up, network off. */
export async function createContainer(
  docker: Docker,
  options: { image: string; cmd: string[]; label: string; name?: string },
): Promise<Docker.Container> {
  return docker.createContainer({
    Image: options.image,
    Cmd: options.cmd,
    Labels: { [options.label]: '1' },
    HostConfig: { NetworkMode: 'none' },
    ...(options.name ? { name: options.name } : {}),
  });
}
