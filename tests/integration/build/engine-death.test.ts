import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import type { BuildEvent } from '../../../src-main/core/build/build-events';
import type { JobEvent } from '../../../src-main/ipc/contract/jobs';
import { dispatch, type Reply } from '../../../src-main/ipc/dispatch';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { BUSYBOX, describeWithEngine } from '../engine-available';
import { OwnEngine } from '../own-engine';

// This suite kills an engine with SIGKILL mid-build, so it runs a second isolated test engine of its own
// (never the shared one) and kills only the dockerd whose pid that engine's script recorded.
const nonce = `death-${randomBytes(6).toString('hex')}`;
const REPO = 'strata-it-build/engine-death';
const ROUNDS = 3;

describeWithEngine('the engine killed mid-build', () => {
  let own: OwnEngine | undefined;
  let root: string;
  let contextDir: string;
  let services: Services;
  let handlers: ReturnType<typeof createHandlers>;

  const docker = (...args: string[]) => (own as OwnEngine).docker(...args);

  const until = async (what: string, check: () => boolean | Promise<boolean>, limitMs = 60_000) => {
    const deadline = Date.now() + limitMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  /** SIGKILL to this suite's own dockerd, by the pid its script recorded; waits until it is gone. */
  async function killEngine(): Promise<void> {
    const pid = (own as OwnEngine).pid();
    expect(Number.isInteger(pid) && pid > 1).toBe(true);
    process.kill(pid, 'SIGKILL');
    await until('the killed dockerd to be gone', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  }

  beforeAll(async () => {
    own = await OwnEngine.create();
    const host = own.start();
    root = await mkdtemp(join(tmpdir(), 'strata-it-engine-death-'));
    contextDir = join(root, 'context');
    await mkdir(contextDir);
    services = createServices({ dataDir: join(root, 'data'), env: { ...process.env, DOCKER_HOST: host } });
    handlers = createHandlers(services);
    await services.engine.connect();
  }, 120_000);

  afterAll(async () => {
    if (services) disposeServices(services);
    await own?.dispose();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** One build killed at its long step: the job's end, the message, what the engine holds after reconnecting. */
  async function killMidBuild(builder: 'classic' | 'buildkit', round: number) {
    await writeFile(
      join(contextDir, 'Dockerfile'),
      `FROM ${BUSYBOX}\nRUN echo ${nonce}-${builder}-${round}\nRUN sleep 120\nRUN echo never\n`,
    );
    const tag = `${REPO}:${builder}-${round}`;
    const reply: Reply = await dispatch(
      handlers,
      'build.start',
      { contextDir, options: { builder, tags: [tag], networkMode: 'none' } },
      { trusted: true, description: 'test' },
    );
    if (!reply.ok) throw new Error(reply.error.message);
    const { jobId } = reply.result as { jobId: string };
    let sleeping = false;
    const off = services.bus.subscribe((name, payload) => {
      const event = payload as JobEvent;
      if (name !== 'job.event' || event.jobId !== jobId || event.kind !== 'build' || event.type !== 'output') return;
      if (event.data.some((e: BuildEvent) => e.type === 'step-start' && e.step.name === 'RUN sleep 120')) {
        sleeping = true;
      }
    });
    await until('the long step to start', () => sleeping);
    // The classic builder names the step's container; wait until it runs, so the kill leaves it behind.
    if (builder === 'classic') await until('the step container to run', () => docker('ps', '-q') !== '');
    await killEngine();
    const job = await services.jobs.settled(jobId);
    off();
    const last = services.jobs.events(jobId, -1).events.at(-1)!;

    (own as OwnEngine).start();
    await until('Strata to reconnect by itself', () => services.engine.status.state === 'connected');
    // Removal of the remembered containers follows the reconnection.
    await until('no container left', () => docker('ps', '-aq') === '', 30_000).catch(() => undefined);
    const images = docker('images', '-q', tag);
    return { job, last, containers: docker('ps', '-a', '--format', '{{.ID}} {{.Status}}'), images };
  }

  for (const builder of ['classic', 'buildkit'] as const) {
    it(`with the ${builder} builder: says what happened, leaves no container, reconnects by itself`, async () => {
      for (let round = 1; round <= ROUNDS; round++) {
        const { job, last, containers, images } = await killMidBuild(builder, round);
        expect(job.state).toBe('error');
        expect(last.type).toBe('error');
        const error = last.data as { code: string; message: string };
        expect(error.code).toBe('engine-unreachable');
        expect(error.message).toMatch(
          /^The engine stopped answering during step 3\/4 \(RUN sleep 120\); nothing was tagged; Strata will reconnect by itself/,
        );
        expect(containers, `round ${round}`).toBe('');
        expect(images).toBe('');
      }
    }, 600_000);
  }
});
