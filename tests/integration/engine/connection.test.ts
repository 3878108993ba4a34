import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import { toStrataError } from '$shared/engine/errors';
import { BUSYBOX, describeWithEngine, onPodman } from '../engine-available';

describeWithEngine('engine connection against the test engine', () => {
  let services: Services;
  const events: string[] = [];

  beforeAll(async () => {
    services = createServices({ dataDir: mkdtempSync(join(tmpdir(), 'strata-conn-')), env: process.env });
    services.bus.subscribe((name, payload) => {
      if (name === 'engine.event')
        events.push(`${(payload as { type: string }).type}:${(payload as { action: string }).action}`);
    });
    await services.engine.connect();
  });
  afterAll(() => disposeServices(services));

  it('connects to DOCKER_HOST and reports product, version and API version as the engine does', async () => {
    const status = services.engine.status;
    expect(status.state).toBe('connected');
    if (status.state !== 'connected') return;
    // Named by its ping at once; what only /version knows (OS, architecture) may follow, when /version is slow.
    expect(status.engine.product).toBe(onPodman ? 'Podman' : 'Docker Engine');
    const cli = JSON.parse(
      execFileSync('docker', ['version', '--format', '{{json .Server}}'], { encoding: 'utf8' }),
    ) as {
      Version: string;
      ApiVersion: string;
      Os: string;
      Arch: string;
    };
    await expect
      .poll(() => services.engine.status, { timeout: 60_000 })
      .toMatchObject({
        state: 'connected',
        engine: {
          product: onPodman ? 'Podman' : 'Docker Engine',
          version: cli.Version,
          apiVersion: cli.ApiVersion,
          os: cli.Os,
          arch: cli.Arch,
          address: process.env.DOCKER_HOST,
          source: 'DOCKER_HOST',
        },
      });
  });

  it('keeps the engine HTTP status and message in errors', async () => {
    const docker = services.engine.docker();
    const missing = await docker
      .getImage('strata-no-such-image:never')
      .inspect()
      .catch((e: unknown) => e);
    const notFound = toStrataError(missing);
    expect(notFound.code).toBe('not-found');
    expect(notFound.details?.status).toBe(404);
    expect(notFound.details?.engineMessage).toMatch(/no such image/i);

    const container = await docker.createContainer({
      Image: BUSYBOX,
      Cmd: ['true'],
      HostConfig: { NetworkMode: 'none' },
    });
    try {
      // Removing by ID an image a container uses is refused with 409 (and removes nothing).
      const { Id } = await docker.getImage(BUSYBOX).inspect();
      const inUse = await docker
        .getImage(Id)
        .remove()
        .catch((e: unknown) => e);
      const conflict = toStrataError(inUse);
      expect(conflict.code).toBe('conflict');
      expect(conflict.details?.status).toBe(409);
    } finally {
      await container.remove({ force: true });
    }
  });

  it('pushes engine events to the bus', async () => {
    execFileSync('docker', ['tag', BUSYBOX, 'strata-it-events/tagged:1']);
    execFileSync('docker', ['rmi', 'strata-it-events/tagged:1']);
    await expect.poll(() => events, { timeout: 5000 }).toContain('image:tag');
    expect(events).toContain('image:untag');
  });

  it('a switch to an address that does not answer fails and keeps the engine in use; one that answers is remembered', async () => {
    // Accepts connections and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const address = `tcp://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    let remembered = 0;
    try {
      await expect(services.engine.switchTo(address, async () => void (remembered += 1))).rejects.toMatchObject({
        code: 'engine-unreachable',
        message: expect.stringMatching(
          new RegExp(
            `^No engine answered at ${address}: no answer within .+\\. Strata stays with the engine in use\\.$`,
          ),
        ),
      });
      expect(remembered).toBe(0);
      expect(services.engine.status).toMatchObject({
        state: 'connected',
        engine: { address: process.env.DOCKER_HOST },
      });
      expect((await services.engine.docker().ping()).toString()).toBe('OK');

      const status = await services.engine.switchTo(process.env.DOCKER_HOST!, async () => void (remembered += 1));
      expect(status).toMatchObject({ state: 'connected', engine: { address: process.env.DOCKER_HOST } });
      expect(remembered).toBe(1);
    } finally {
      silent.close();
    }
  });
});
