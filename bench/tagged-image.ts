/** Set-up shared by the image benchmarks: one image of their own, tagged many times. */
import type Docker from 'dockerode';

const BASE = 'strata-test/busybox:latest';

/** Commit busybox as `repository:base`, a fresh image the benchmark may remove with every tag; returns its ID. */
export async function commitBenchImage(docker: Docker, repository: string): Promise<string> {
  const container = await docker.createContainer({ Image: BASE, Cmd: ['true'], HostConfig: { NetworkMode: 'none' } });
  const { Id: imageId } = (await container.commit({ repo: repository, tag: 'base' })) as { Id: string };
  await container.remove();
  return imageId;
}

/** Tag the image `count` times (t00000, t00001, …), 16 requests in flight. */
export async function addTags(
  docker: Docker,
  options: { imageId: string; repository: string; count: number },
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < options.count) {
        const n = next++;
        await docker.getImage(options.imageId).tag({ repo: options.repository, tag: `t${String(n).padStart(5, '0')}` });
      }
    }),
  );
}
