import type Docker from 'dockerode';
import type { StrataError } from '$shared/engine/errors';

/** The StrataError a promise rejects with; throws when it resolves instead. */
export async function caught(promise: Promise<unknown>): Promise<StrataError> {
  try {
    await promise;
  } catch (err) {
    return err as StrataError;
  }
  throw new Error('expected a failure');
}

/** Force-remove the containers a test file created (in afterAll); ones already gone are skipped. */
export async function removeContainers(docker: Docker, ids: readonly string[]): Promise<void> {
  for (const id of ids)
    await docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
}
