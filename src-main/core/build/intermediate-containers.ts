import type Docker from 'dockerode';

export interface IntermediateContainerQuery {
  docker: Docker;
  /** Containers the build stream named (` ---> Running in <id>`). */
  containerIds: Iterable<string>;
  /** Short image IDs the build stream printed (` ---> <id>`): every intermediate container runs on one. */
  stepImageIds: Iterable<string>;
  /** The step that was running, as printed (`RUN sleep 30`): its container's command contains its arguments. */
  runningStep?: string;
  /** When the build started (epoch ms): intermediate containers are never older. */
  since: number;
  /** How long to keep watching for a container the engine was still creating. */
  settleMs?: number;
}

/**
 * Removes the classic builder's intermediate containers after a cancelled build. They carry no label, so
 * they are recognised precisely: named by the stream, or created since the build started, from one of its
 * step images, running the step that was interrupted. Returns the IDs removed.
 */
export async function removeIntermediateContainers(query: IntermediateContainerQuery): Promise<string[]> {
  const named = [...query.containerIds];
  const images = [...query.stepImageIds];
  const stepArgs = query.runningStep?.replace(/^\S+\s+/, '').trim();
  const sinceSeconds = Math.floor(query.since / 1000) - 1;
  const deadline = Date.now() + (query.settleMs ?? 3000);
  const removed = new Set<string>();
  let quietRounds = 0;

  // The engine cleans up on its own when the request closes; keep looking until two rounds find nothing.
  while (quietRounds < 2 && Date.now() < deadline) {
    const containers = await query.docker.listContainers({ all: true });
    const leftovers = containers.filter((c) => {
      if (removed.has(c.Id)) return false;
      if (named.some((id) => c.Id.startsWith(id))) return true;
      if (c.Created < sinceSeconds) return false;
      const image = c.ImageID.replace(/^sha256:/, '');
      const fromStepImage = images.some((id) => id && image.startsWith(id));
      return fromStepImage && stepArgs !== undefined && stepArgs !== '' && c.Command.includes(stepArgs);
    });
    quietRounds = leftovers.length ? 0 : quietRounds + 1;
    for (const c of leftovers) {
      try {
        await query.docker.getContainer(c.Id).remove({ force: true });
        removed.add(c.Id);
      } catch (err) {
        // 404: the engine removed it first; 409: its removal is already in progress.
        const status = (err as { statusCode?: number }).statusCode;
        if (status !== 404 && status !== 409) throw err;
        removed.add(c.Id);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return [...removed];
}
