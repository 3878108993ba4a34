import { afterEach, expect, it } from 'vitest';
import { EngineConnection, type ConnectionStatus } from '../../../src-main/core/engine/connection';

let connection: EngineConnection | undefined;
afterEach(() => connection?.stop());

/**
 * Finding where to look can fail before any engine is tried (the settings or the docker config unreadable).
 * The connection used to reject then: an unhandled rejection, and no retry, so the app stayed "connecting".
 * Only the lookup is made to fail here; no engine is involved.
 */
it('reports a failed lookup as unreachable, saying why, and tries again', async () => {
  const statuses: ConnectionStatus[] = [];
  let lookups = 0;
  const retried = new Promise<void>((resolve) => {
    connection = new EngineConnection({
      discover: async () => {
        lookups += 1;
        if (lookups === 2) resolve();
        if (lookups === 1) throw new Error("EACCES: permission denied, open '/home/u/.docker/config.json'");
        return [];
      },
      preferredAddress: async () => undefined,
      parseAddress: () => {
        throw new Error('no address is typed in this test');
      },
      dockerOptions: () => Promise.reject(new Error('no engine is tried in this test')),
      onStatus: (status) => statuses.push(status),
      onEvent: () => undefined,
      retryDelaysMs: [20],
    });
  });
  const first = await connection!.connect();
  expect(first).toEqual({
    state: 'unreachable',
    lookedAt: [
      {
        address: '—',
        source: 'where to look',
        result: "could not be worked out: EACCES: permission denied, open '/home/u/.docker/config.json'",
      },
    ],
    retryInMs: 20,
    attempt: 1,
  });
  await retried;
  expect(statuses.slice(0, 2)).toEqual([{ state: 'connecting', attempt: 1 }, first]);
});
