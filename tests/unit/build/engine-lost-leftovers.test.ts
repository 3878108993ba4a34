import type Docker from 'dockerode';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BuildHistoryStore } from '../../../src-main/core/build/build-history-store';
import { BuildLeftovers } from '../../../src-main/core/build/build-leftovers';
import { runBuild } from '../../../src-main/core/build/run-build';
import { SessionRefusals } from '../../../src-main/core/build/session/session-support';
import { EventBus } from '../../../src-main/ipc/event-bus';
import { JobRunner } from '../../../src-main/ipc/job-runner';
import { buildHandlers } from '../../../src-main/ipc/handlers/build';
import type { Services } from '../../../src-main/ipc/services';

/**
 * The engine dies mid-step: the classic builder's step container is to be noted for removal after the
 * reconnect. Killing an engine is the integration suite's (engine-death); what it cannot make happen is
 * the note itself failing, so here the engine's stream is replayed and the note file is made unwritable.
 */
const CONTAINER = '0123456789ab';
const LINES = [
  'Step 1/2 : FROM strata-test/busybox:latest',
  ' ---> 63bb3a3e15f4',
  'Step 2/2 : RUN sleep 120',
  ` ---> Running in ${CONTAINER}`,
];

/** An engine whose build stream stops with a reset connection after the step started, and that then answers nothing. */
function dyingEngine(): Docker {
  const gone = () => Promise.reject(Object.assign(new Error('connect ENOENT /engine.sock'), { code: 'ENOENT' }));
  return {
    version: () => Promise.resolve({ ApiVersion: '1.41', Version: '20.10.24' }),
    listNetworks: () => Promise.resolve([{ Name: 'bridge' }]),
    ping: gone,
    getImage: () => ({ inspect: gone }),
    buildImage: () => {
      const stream = new Readable({ read() {} });
      for (const line of LINES) stream.push(`${JSON.stringify({ stream: `${line}\n` })}\n`);
      setTimeout(() => stream.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), 10);
      return Promise.resolve(stream);
    },
  } as unknown as Docker;
}

const STOPPED =
  'The engine stopped answering during step 2/2 (RUN sleep 120); nothing was tagged; Strata will reconnect by itself';

describe('a build cut off by the engine, whose step container cannot be noted for removal', () => {
  it('ends failed, saying which container to remove and how, when noting it fails', async () => {
    const noted: string[][] = [];
    const outcome = await runBuild({
      docker: dyingEngine(),
      context: Readable.from([Buffer.alloc(1024)]),
      builder: 'classic',
      onEngineLost: async (ids) => {
        noted.push(ids);
        throw new Error('EACCES: permission denied, open build-leftovers.json');
      },
    });
    expect(noted).toEqual([[CONTAINER]]);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toEqual({
      message: `${STOPPED}; Strata could not note the step's container for removal (EACCES: permission denied, open build-leftovers.json): once the engine is back, remove it with docker rm -f ${CONTAINER}.`,
      stepId: null,
      engineLost: true,
    });
    expect(outcome.events.filter((e) => e.type === 'error').map((e) => e.type === 'error' && e.message)).toEqual([
      outcome.error!.message,
    ]);
  });

  it('says it will remove the container when noting it works', async () => {
    const outcome = await runBuild({
      docker: dyingEngine(),
      context: Readable.from([Buffer.alloc(1024)]),
      builder: 'classic',
      onEngineLost: async () => undefined,
    });
    expect(outcome.error?.message).toBe(`${STOPPED}; the step's container will be removed once the engine is back.`);
  });

  describe('through build.start, with the note file in a folder that cannot exist', () => {
    let root: string;
    let logged: string[];
    beforeEach(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'strata-leftovers-'));
      logged = [];
      vi.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
    });
    afterEach(async () => {
      vi.restoreAllMocks();
      await rm(root, { recursive: true, force: true });
    });

    it('logs the failure with the containers and the engine, and the job ends with the error that says what to do', async () => {
      const contextDir = path.join(root, 'context');
      await mkdir(contextDir);
      await writeFile(path.join(contextDir, 'Dockerfile'), 'FROM strata-test/busybox:latest\nRUN sleep 120\n');
      // A regular file where the data folder should be: the note cannot be written, for real.
      const notAFolder = path.join(root, 'not-a-folder');
      await writeFile(notAFolder, '');
      const bus = new EventBus();
      const address = 'unix:///test/engine.sock';
      const services = {
        engine: {
          docker: dyingEngine,
          status: {
            state: 'connected',
            engine: { product: 'Docker Engine', apiVersion: '1.41', version: '20.10.24', address },
          },
        },
        jobs: new JobRunner(bus),
        builds: new BuildHistoryStore(path.join(root, 'builds')),
        sessionRefusals: new SessionRefusals(),
        buildLeftovers: new BuildLeftovers(path.join(notAFolder, 'build-leftovers.json')),
        homeDir: root,
      } as unknown as Services;

      const { jobId } = await buildHandlers(services).start({
        contextDir,
        dockerfile: 'Dockerfile',
        options: {
          builder: 'classic',
          networkMode: 'none',
          tags: [],
          buildArgs: {},
          labels: {},
          noCache: false,
          pull: false,
        },
      });
      const job = await services.jobs.settled(jobId);
      expect(job.state).toBe('error');
      const last = services.jobs.events(jobId, -1).events.at(-1)!;
      expect(last.type).toBe('error');
      const error = last.data as { code: string; message: string };
      expect(error.code).toBe('engine-unreachable');
      const why = `EEXIST: file already exists, mkdir '${notAFolder}'`;
      expect(error.message).toBe(
        `${STOPPED}; Strata could not note the step's container for removal (${why}): once the engine is back, remove it with docker rm -f ${CONTAINER}.`,
      );
      expect(logged).toEqual([
        `Strata: could not note the build containers ${CONTAINER} on ${address} for removal: ${why}`,
      ]);
    });
  });
});
