import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { caught, removeContainers } from './fixtures';
import { listContainers } from '../../../src-main/core/containers/list-containers';
import {
  inspectContainer,
  removeContainer,
  restartContainer,
  startContainer,
  stopContainer,
} from '../../../src-main/core/containers/container-lifecycle';
import { runContainer } from '../../../src-main/core/containers/run-container';
import { defaultNetworkMode } from '../../../src-main/core/containers/network-mode';

const prefix = `strata-it-containers-${process.pid}`;

describeWithEngine('containers: run, list, lifecycle', () => {
  let docker: Docker;
  const created: string[] = [];

  beforeAll(async () => {
    docker = await testDocker();
  });

  afterAll(async () => {
    await removeContainers(docker, created);
  });

  it('picks network mode none on an engine without a bridge network', async () => {
    const networks = await docker.listNetworks();
    const hasBridge = networks.some((n) => n.Name === 'bridge');
    expect(await defaultNetworkMode(docker)).toBe(hasBridge ? undefined : 'none');
  });

  it('runs a container with a TTY and open stdin by default, and lists it', async () => {
    const name = `${prefix}-run`;
    const run = await runContainer(docker, { image: BUSYBOX, name, env: ['GREETING=hello world'] });
    created.push(run.id);
    expect(run.name).toBe(name);
    const info = await inspectContainer(docker, { container: run.id });
    expect(info.Config.Tty).toBe(true);
    expect(info.Config.OpenStdin).toBe(true);
    expect(info.Config.StdinOnce).toBe(false);
    expect(info.Config.Env).toContain('GREETING=hello world');
    expect(info.State.Running).toBe(true);
    // The engine's default mode: Docker calls it `default`, Podman `bridge`.
    expect(info.HostConfig.NetworkMode).toBe((await defaultNetworkMode(docker)) ?? (onPodman ? 'bridge' : 'default'));

    const row = (await listContainers(docker)).find((c) => c.id === run.id);
    expect(row).toMatchObject({ name, image: BUSYBOX, command: 'sh', state: 'running' });
    expect(row?.status).toMatch(/^Up /);
    expect(row?.created).toBeGreaterThan(Date.parse('2020-01-01'));
  });

  it('stops, starts, restarts and removes a container, listing stopped ones too', async () => {
    const name = `${prefix}-cycle`;
    const run = await runContainer(docker, { image: BUSYBOX, name });
    created.push(run.id);

    await stopContainer(docker, { container: name, timeoutSeconds: 1 });
    let row = (await listContainers(docker)).find((c) => c.id === run.id);
    expect(row?.state).toBe('exited');
    expect(row?.status).toMatch(/^Exited \(\d+\)/);
    expect((await listContainers(docker, { all: false })).some((c) => c.id === run.id)).toBe(false);
    // Stopping a stopped container is not an error, as with the docker CLI's idempotent intent.
    await stopContainer(docker, { container: name });

    await startContainer(docker, { container: name });
    await startContainer(docker, { container: name });
    row = (await listContainers(docker, { filters: { name: [name] } })).find((c) => c.id === run.id);
    expect(row?.state).toBe('running');

    const before = (await inspectContainer(docker, { container: name })).State.StartedAt;
    await restartContainer(docker, { container: name, timeoutSeconds: 1 });
    const after = await inspectContainer(docker, { container: name });
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).not.toBe(before);

    const conflict = await caught(removeContainer(docker, { container: name }));
    expect(conflict.code).toBe('conflict');
    // Podman answers 500 (its cause: "container state improper"); the app still calls it a conflict.
    expect(conflict.details?.status).toBe(onPodman ? 500 : 409);
    expect(conflict.message).toMatch(/Stop it first, or remove it with force/);

    await removeContainer(docker, { container: name, force: true });
    expect((await listContainers(docker)).some((c) => c.id === run.id)).toBe(false);

    const gone = await caught(startContainer(docker, { container: name }));
    expect(gone.code).toBe('not-found');
    expect(gone.details?.status).toBe(404);
    expect(gone.details?.engineMessage).toMatch(/no such container/i);
    expect(gone.message).toMatch(/no longer exists/);
  });

  it('says which image is missing when running one that does not exist', async () => {
    const err = await caught(runContainer(docker, { image: `${prefix}/missing:nope` }));
    expect(err.code).toBe('not-found');
    expect(err.details?.status).toBe(404);
    expect(err.message).toMatch(/does not exist in this engine/);
  });

  it('refuses a name already in use with a conflict', async () => {
    const name = `${prefix}-dup`;
    const run = await runContainer(docker, { image: BUSYBOX, name, start: false });
    created.push(run.id);
    const err = await caught(runContainer(docker, { image: BUSYBOX, name }));
    expect(err.code).toBe('conflict');
    // Podman answers 500 (its cause: "that name is already in use"); the app still calls it a conflict.
    expect(err.details?.status).toBe(onPodman ? 500 : 409);
  });

  it('rejects environment entries that are not KEY=value before creating anything', async () => {
    const err = await caught(runContainer(docker, { image: BUSYBOX, env: ['NOVALUE'] }));
    expect(err.code).toBe('invalid-input');
  });
});
