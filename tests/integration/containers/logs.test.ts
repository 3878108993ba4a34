import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSYBOX, describeWithEngine, testDocker } from '../engine-available';
import { removeContainers } from './fixtures';
import { followLogs, readLogs } from '../../../src-main/core/containers/container-logs';
import { runContainer } from '../../../src-main/core/containers/run-container';
import type { OutputFrame } from '../../../src-main/core/containers/stream-demuxer';
import type { StrataError } from '$shared/engine/errors';

const prefix = `strata-it-logs-${process.pid}`;

describeWithEngine('containers: logs', () => {
  let docker: Docker;
  const created: string[] = [];

  beforeAll(async () => {
    docker = await testDocker();
  });

  afterAll(async () => {
    await removeContainers(docker, created);
  });

  async function runToEnd(options: { command: string[]; interactive: boolean; name: string }): Promise<string> {
    const run = await runContainer(docker, { image: BUSYBOX, ...options });
    created.push(run.id);
    await docker.getContainer(run.id).wait();
    return run.id;
  }

  it('reads stdout and stderr of a container without a TTY, ANSI colours kept', async () => {
    const id = await runToEnd({
      name: `${prefix}-plain`,
      interactive: false,
      command: ['sh', '-c', 'echo out; echo err >&2; printf "\\033[31mred\\033[0m\\n"'],
    });
    const logs = await readLogs(docker, { container: id });
    // The engine copies stdout and stderr separately, so their lines may interleave either way.
    expect(logs.split('\n').sort()).toEqual(['', '\x1b[31mred\x1b[0m', 'err', 'out']);
    expect(logs.indexOf('out')).toBeLessThan(logs.indexOf('\x1b[31mred'));
    const last = await readLogs(docker, { container: id, tail: 1 });
    expect(last.split('\n')).toHaveLength(2);
    expect(logs.endsWith(last)).toBe(true);
    const stamped = await readLogs(docker, { container: id, timestamps: true });
    expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\S+ out$/m);
  });

  it('reads the raw output of a TTY container, even when it looks like JSON', async () => {
    const id = await runToEnd({ name: `${prefix}-tty`, interactive: true, command: ['echo', '42'] });
    expect(await readLogs(docker, { container: id })).toBe('42\r\n');
  });

  it('follows logs until the container stops, telling stdout from stderr', async () => {
    const run = await runContainer(docker, {
      image: BUSYBOX,
      name: `${prefix}-follow`,
      interactive: false,
      command: ['sh', '-c', 'for i in 1 2 3; do echo line-$i; sleep 0.2; done; echo done >&2'],
    });
    created.push(run.id);
    const frames: OutputFrame[] = [];
    const end = await followLogs(docker, { container: run.id, onOutput: (f) => frames.push(f) });
    expect(end).toBe('ended');
    const out = frames
      .filter((f) => f.stream === 'stdout')
      .map((f) => f.data.toString())
      .join('');
    const err = frames
      .filter((f) => f.stream === 'stderr')
      .map((f) => f.data.toString())
      .join('');
    expect(out).toBe('line-1\nline-2\nline-3\n');
    expect(err).toBe('done\n');
  });

  it('stops following when cancelled, leaving the container running', async () => {
    const run = await runContainer(docker, {
      image: BUSYBOX,
      name: `${prefix}-cancel`,
      interactive: false,
      command: ['sh', '-c', 'echo started; while true; do sleep 1; done'],
    });
    created.push(run.id);
    const controller = new AbortController();
    const seen: string[] = [];
    const end = await followLogs(docker, {
      container: run.id,
      signal: controller.signal,
      onOutput: (f) => {
        seen.push(f.data.toString());
        controller.abort();
      },
    });
    expect(end).toBe('cancelled');
    expect(seen[0]).toBe('started\n');
    expect((await docker.getContainer(run.id).inspect()).State.Running).toBe(true);
  });

  it('fails with not-found for a container that does not exist', async () => {
    let err: StrataError | undefined;
    await readLogs(docker, { container: `${prefix}-missing` }).catch((e: StrataError) => (err = e));
    expect(err?.code).toBe('not-found');
    expect(err?.details?.status).toBe(404);
  });
});
