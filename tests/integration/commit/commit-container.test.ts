import type Docker from 'dockerode';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSYBOX, describeWithEngine, engineHost, onPodman, testDocker } from '../engine-available';
import { inspectImage } from '../../../src-main/core/images/inspect-image';
import { caught, removeContainers } from '../containers/fixtures';
import { recordOutput } from '../containers/terminal-output';
import { commitContainer } from '../../../src-main/core/commit/commit-container';
import { commitCommandLine } from '$shared/commit/commit-command-line';
import type { ConfigChange } from '$shared/commit/config-change';
import { compareImages } from '../../../src-main/core/images/compare-images';
import { containerDiff } from '../../../src-main/core/commit/container-diff';
import { findExistingTag } from '../../../src-main/core/commit/existing-tag';
import { readLogs } from '../../../src-main/core/containers/container-logs';
import { removeContainer } from '../../../src-main/core/containers/container-lifecycle';
import { openTerminal } from '../../../src-main/core/containers/open-terminal';
import { runContainer } from '../../../src-main/core/containers/run-container';

const repo = `strata-it-commit-${process.pid}`;
const run = promisify(execFile);

const changes: ConfigChange[] = [
  { instruction: 'CMD', command: { form: 'exec', args: ['cat', '/my-file'] } },
  { instruction: 'ENV', key: 'MODE', value: 'committed' },
  { instruction: 'LABEL', key: 'made-by', value: 'strata' },
];

describeWithEngine('commit: change a container in a terminal, commit it, run the new image', () => {
  let docker: Docker;
  let containerId: string;
  const containers: string[] = [];
  const images: string[] = [];

  beforeAll(async () => {
    docker = await testDocker();
    const started = await runContainer(docker, { image: BUSYBOX, name: `${repo}-source` });
    containerId = started.id;
    containers.push(containerId);

    // Make the change the way a person would: type into a terminal, then detach with Ctrl+P Ctrl+Q.
    const session = await openTerminal(docker, { container: containerId, cols: 80, rows: 24 });
    const out = recordOutput(session);
    session.write('echo hello > /my-file\n');
    session.write('echo written-$((20+1))\n');
    await out.waitFor(/written-21/, 'the shell confirming the write');
    session.write('\x10\x11');
    expect(await session.exited).toEqual({ reason: 'detached' });
    expect((await docker.getContainer(containerId).inspect()).State.Running).toBe(true);
  });

  afterAll(async () => {
    await removeContainers(docker, containers);
    for (const ref of images.reverse())
      await docker
        .getImage(ref)
        .remove({ force: true })
        .catch(() => undefined);
  });

  it('shows the change as a diff tree', async () => {
    const diff = await containerDiff(docker, { container: containerId });
    expect(diff.entries).toContainEqual({ path: '/my-file', kind: 'added' });
    const myFile = diff.tree.children.find((c) => c.name === 'my-file');
    expect(myFile).toMatchObject({ path: '/my-file', kind: 'added', children: [] });
    expect(diff.tree.counts.added).toBe(diff.entries.filter((e) => e.kind === 'added').length);
    expect(diff.tree.counts.added + diff.tree.counts.changed + diff.tree.counts.deleted).toBe(diff.entries.length);
  });

  it('commits with author, message and changes into an image one layer above the base', async () => {
    const reference = `${repo}/box:v1`;
    expect(await findExistingTag(docker, { reference })).toBeUndefined();

    const result = await commitContainer(docker, {
      container: containerId,
      reference,
      author: 'Ada Lovelace <ada@example.com>',
      message: 'Add /my-file',
      changes,
      engine: onPodman ? 'podman' : 'docker',
    });
    images.push(result.imageId);
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await findExistingTag(docker, { reference }))?.imageId).toBe(result.imageId);

    const base = await docker.getImage(BUSYBOX).inspect();
    expect(result.baseImageId).toBe(base.Id);
    const image = await docker.getImage(reference).inspect();
    expect(image.Id).toBe(result.imageId);
    expect(image.Author).toBe('Ada Lovelace <ada@example.com>');
    expect(image.Comment).toBe('Add /my-file');
    // Podman gives Parent as bare hex: the app's inspect says it as the same sha256: ID on both engines.
    expect((await inspectImage(docker, { image: reference })).summary.parent).toBe(base.Id);
    expect(image.Config.Cmd).toEqual(['cat', '/my-file']);
    // Podman's commit keeps the environment it gave the container (TERM for the TTY, container=podman), in
    // no fixed order (it holds it as a map).
    if (onPodman)
      expect([...(image.Config.Env ?? [])].sort()).toEqual(
        ['PATH=/bin', 'TERM=xterm', 'container=podman', 'MODE=committed'].sort(),
      );
    else expect(image.Config.Env).toEqual(['PATH=/bin', 'MODE=committed']);
    expect(image.Config.Labels).toEqual({ 'made-by': 'strata' });
    expect(image.RootFS.Layers).toHaveLength((base.RootFS.Layers ?? []).length + 1);
    expect(image.RootFS.Layers?.slice(0, -1)).toEqual(base.RootFS.Layers);
    // Pausing is the default; the container runs on afterwards.
    expect((await docker.getContainer(containerId).inspect()).State.Running).toBe(true);

    // A container of the new image runs the new CMD and finds the file.
    const check = await runContainer(docker, { image: reference, interactive: false, name: `${repo}-check` });
    containers.push(check.id);
    await docker.getContainer(check.id).wait();
    expect(await readLogs(docker, { container: check.id })).toBe('hello\n');
    expect((await docker.getContainer(check.id).inspect()).Config.Env).toContain('MODE=committed');
  });

  it('compares the new image with its base: one added layer holding the change', async () => {
    const reference = `${repo}/box:v1`;
    // The compare view of the images issue, reused: base (A) against the committed image (B).
    const comparison = await compareImages(docker, { a: BUSYBOX, b: reference });
    const base = await docker.getImage(BUSYBOX).inspect();
    expect(comparison.layers.sharedLayers).toBe(base.RootFS.Layers!.length);
    expect(comparison.layers.rows.filter((r) => r.kind === 'shared').map((r) => r.a!.diffId)).toEqual(
      base.RootFS.Layers,
    );
    expect(comparison.layers.rows.filter((r) => r.kind === 'only-a' || r.kind === 'different')).toEqual([]);
    const added = comparison.layers.rows.filter((r) => r.kind === 'only-b');
    expect(added).toHaveLength(1);
    const top = added[0]!.b!;
    // The layer's history entry: Docker keeps the commit message there; Podman (Buildah) records the base it
    // was committed on and keeps the message only as the image's Comment, which the app shows as the layer's name.
    expect(top.comment).toBe('Add /my-file');
    // The layer holds /my-file ("hello\n") and the shell's history: a few bytes, as `docker history` says.
    const history = await docker.getImage(reference).history();
    expect(top.size).toBe(history[0]!.Size);
    expect(top.size).toBeGreaterThan(0);
    expect(comparison.layers.onlyBBytes).toBe(top.size);
    expect(comparison.layers.totalB).toBe(comparison.layers.totalA + top.size);
  });

  it('builds a docker (on Podman: podman) commit command line that makes the same image config', async () => {
    const tricky: ConfigChange[] = [
      ...changes,
      { instruction: 'ENV', key: 'QUOTED', value: `it's "$HOME" \\ here` },
      { instruction: 'LABEL', key: 'org.example.note', value: 'a $b c' },
      { instruction: 'WORKDIR', path: '/srv/my app' },
      { instruction: 'USER', user: 'nobody' },
      { instruction: 'EXPOSE', port: '8080', protocol: 'tcp' },
      { instruction: 'VOLUME', paths: ['/data', '/my logs'] },
      { instruction: 'ENTRYPOINT', command: { form: 'shell', command: 'exec "$0" "$@"' } },
      // Podman leaves ONBUILD out of a commit: the app refuses it there (checked below) instead of losing it.
      ...(onPodman ? [] : [{ instruction: 'ONBUILD', trigger: 'RUN echo $HOME' } as const]),
    ];
    const author = `O'Brien "Bob" <bob@example.com>`;
    const message = 'Line with $HOME, `ticks` and \\ backslash';
    const ours = await commitContainer(docker, {
      container: containerId,
      reference: `${repo}/ours:1`,
      author,
      message,
      pause: false,
      changes: tricky,
      engine: onPodman ? 'podman' : 'docker',
    });
    images.push(ours.imageId);
    const line = commitCommandLine({
      container: containerId,
      reference: `${repo}/cli:1`,
      author,
      message,
      pause: false,
      changes: tricky,
      // The docker CLI's commit fails against Podman's API ("Decode(): EOF"); the app offers podman's there.
      cli: onPodman ? 'podman' : 'docker',
    });
    // CONTAINER_HOST points the podman CLI at the same service (and makes it a remote client).
    await run('sh', ['-c', line], { env: { ...process.env, ...(onPodman ? { CONTAINER_HOST: engineHost } : {}) } });
    images.push(`${repo}/cli:1`);

    const a = await docker.getImage(`${repo}/ours:1`).inspect();
    const b = await docker.getImage(`${repo}/cli:1`).inspect();
    expect(b.Author).toBe(author);
    expect(b.Comment).toBe(message);
    expect(a.Author).toBe(author);
    expect(a.Comment).toBe(message);
    expect(b.Config).toEqual(a.Config);
    // Values arrive verbatim: no $VAR expansion, no quote removal surprises.
    expect(a.Config.Env).toContain(`QUOTED=it's "$HOME" \\ here`);
    expect(a.Config.Labels).toEqual({ 'made-by': 'strata', 'org.example.note': 'a $b c' });
    expect(a.Config.WorkingDir).toBe('/srv/my app');
    expect(a.Config.User).toBe('nobody');
    expect(Object.keys(a.Config.ExposedPorts ?? {})).toEqual(['8080/tcp']);
    expect(Object.keys(a.Config.Volumes ?? {}).sort()).toEqual(['/data', '/my logs']);
    expect(a.Config.Entrypoint).toEqual(['/bin/sh', '-c', 'exec "$0" "$@"']);
    if (!onPodman) expect(a.Config.OnBuild).toEqual(['RUN echo $HOME']);
    if (onPodman) {
      const onbuild: ConfigChange[] = [{ instruction: 'ONBUILD', trigger: 'RUN echo $HOME' }];
      const refused = await caught(
        commitContainer(docker, {
          container: containerId,
          reference: `${repo}/onbuild:1`,
          changes: onbuild,
          engine: 'podman',
        }),
      );
      expect(refused.code).toBe('invalid-input');
      expect(refused.message).toMatch(/Podman leaves ONBUILD/);
      expect(() => commitCommandLine({ container: containerId, changes: onbuild, cli: 'podman' })).toThrow(/ONBUILD/);
      expect(await findExistingTag(docker, { reference: `${repo}/onbuild:1` })).toBeUndefined();
    }
  });

  it('warns about an existing tag by finding the image it names', async () => {
    const existing = await findExistingTag(docker, { reference: BUSYBOX });
    expect(existing?.imageId).toBe((await docker.getImage(BUSYBOX).inspect()).Id);
    expect(await findExistingTag(docker, { reference: `${repo}/never:made` })).toBeUndefined();
  });

  it('refuses an invalid tag before asking the engine', async () => {
    const err = await caught(commitContainer(docker, { container: containerId, reference: `${repo}/Box:v1` }));
    expect(err.code).toBe('invalid-input');
    expect(err.details?.field).toBe('reference');
  });

  it('refuses invalid changes before pausing the container', async () => {
    const err = await caught(
      commitContainer(docker, {
        container: containerId,
        reference: `${repo}/bad:1`,
        changes: [{ instruction: 'EXPOSE', port: 'web', protocol: 'tcp' }],
      }),
    );
    expect(err.code).toBe('invalid-input');
    expect(await findExistingTag(docker, { reference: `${repo}/bad:1` })).toBeUndefined();
  });

  it('says the container is gone (404) when it was removed meanwhile', async () => {
    const doomed = await runContainer(docker, { image: BUSYBOX, name: `${repo}-doomed` });
    containers.push(doomed.id);
    await removeContainer(docker, { container: doomed.id, force: true });
    const err = await caught(commitContainer(docker, { container: doomed.id, reference: `${repo}/doomed:1`, changes }));
    expect(err.code).toBe('not-found');
    expect(err.details?.status).toBe(404);
    expect(err.details?.engineMessage).toMatch(/no such container/i);
    expect(err.message).toMatch(/no longer exists/);
  });
});
