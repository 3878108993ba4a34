import type Docker from 'dockerode';
import { toStrataError } from '$shared/engine/errors';
import { familiarName } from '$shared/images/reference';

/** One row of the containers list, in Docker's words. */
export interface ContainerSummary {
  id: string;
  /** Name without the leading slash the engine reports. */
  name: string;
  /** The image as the container was created from it (a reference, or an ID when the tag moved). */
  image: string;
  imageId: string;
  command: string;
  /** Creation time, milliseconds since the epoch. */
  created: number;
  /** created | running | paused | restarting | removing | exited | dead */
  state: string;
  /** Human status as `docker ps` shows it: "Up 3 minutes", "Exited (0) 2 hours ago". */
  status: string;
}

export interface ListContainersOptions {
  /** Include stopped containers (default true, unlike `docker ps`). */
  all?: boolean;
  /** Engine-side filters, as `docker ps --filter` takes them (e.g. `{ status: ['running'] }`). */
  filters?: Record<string, string[]>;
  signal?: AbortSignal;
}

/** List containers, running and stopped, newest first. */
export async function listContainers(docker: Docker, options: ListContainersOptions = {}): Promise<ContainerSummary[]> {
  try {
    const infos = await docker.listContainers({
      all: options.all ?? true,
      ...(options.filters ? { filters: JSON.stringify(options.filters) } : {}),
      ...(options.signal ? { abortSignal: options.signal } : {}),
    });
    return infos
      .map((info) => ({
        id: info.Id,
        name: (info.Names[0] ?? info.Id.slice(0, 12)).replace(/^\//, ''),
        image: familiarName(info.Image),
        imageId: info.ImageID,
        command: info.Command,
        created: info.Created * 1000,
        state: info.State,
        status: info.Status,
      }))
      .sort((a, b) => b.created - a.created);
  } catch (err) {
    throw toStrataError(err);
  }
}
