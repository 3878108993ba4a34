import type Docker from 'dockerode';
import type { Readable } from 'node:stream';

/** dockerode has `getImages` (GET /images/get?names=...) but its type definitions lack it. */
interface GetImages {
  getImages(options: { names: string[]; abortSignal?: AbortSignal }): Promise<NodeJS.ReadableStream>;
}

/** The engine's `docker save` tar stream for one or more images. */
export async function saveStream(
  docker: Docker,
  options: { names: string[]; signal?: AbortSignal },
): Promise<Readable> {
  const stream = await (docker as unknown as GetImages).getImages({
    names: options.names,
    ...(options.signal ? { abortSignal: options.signal } : {}),
  });
  return stream as Readable;
}
