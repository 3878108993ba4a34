import type Docker from 'dockerode';
import { shortId } from '$shared/images/format';
import { normalizeImageId } from './image-id';
import { engineFailure } from './image-errors';
import { familiarName } from '$shared/images/reference';

/** A container that uses an image (running or not): it keeps the image's layers alive. */
export interface ImageContainer {
  id: string;
  shortId: string;
  /** Name without the leading "/". */
  name: string;
  /** created | running | paused | restarting | exited | dead */
  state: string;
  /** The engine's human status, e.g. "Exited (0) 2 minutes ago". */
  status: string;
  /** The image as the container was created from it (a reference or an ID). */
  image: string;
  imageId: string;
  running: boolean;
}

function toImageContainer(info: Docker.ContainerInfo): ImageContainer {
  const name = (info.Names?.[0] ?? '').replace(/^\//, '');
  return {
    id: info.Id,
    shortId: shortId(info.Id),
    name,
    state: info.State,
    status: info.Status,
    image: familiarName(info.Image),
    imageId: normalizeImageId(info.ImageID),
    running: info.State === 'running' || info.State === 'paused' || info.State === 'restarting',
  };
}

/** Every container (any state) grouped by the image ID it uses. */
export async function containersByImage(
  docker: Docker,
  options: { signal?: AbortSignal } = {},
): Promise<Map<string, ImageContainer[]>> {
  let containers: Docker.ContainerInfo[];
  try {
    containers = await docker.listContainers({ all: true, ...(options.signal ? { abortSignal: options.signal } : {}) });
  } catch (err) {
    throw engineFailure(err, 'Could not list containers');
  }
  const byImage = new Map<string, ImageContainer[]>();
  for (const info of containers) {
    const imageId = normalizeImageId(info.ImageID);
    const list = byImage.get(imageId) ?? [];
    list.push(toImageContainer(info));
    byImage.set(imageId, list);
  }
  return byImage;
}

/** The containers (running or not) that use one image, given its full ID. */
export async function containersUsingImage(
  docker: Docker,
  options: { imageId: string; signal?: AbortSignal },
): Promise<ImageContainer[]> {
  const byImage = await containersByImage(docker, options);
  return byImage.get(normalizeImageId(options.imageId)) ?? [];
}
