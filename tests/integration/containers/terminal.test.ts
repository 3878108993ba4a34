import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { removeContainers } from './fixtures';
import { openTerminal } from '../../../src-main/core/containers/open-terminal';
import { runContainer } from '../../../src-main/core/containers/run-container';
import type { StrataError } from '$shared/engine/errors';
import { recordOutput } from './terminal-output';

const prefix = `strata-it-terminal-${process.pid}`;
// What the app tells openTerminal: on Podman it keeps the detach keys from the engine and detaches itself.
const engine = onPodman ? 'podman' : 'docker';

describeWithEngine('containers: terminal sessions', () => {
  let docker: Docker;
  const created: string[] = [];

  beforeAll(async () => {
    docker = await testDocker();
  });

  afterAll(async () => {
    await removeContainers(docker, created);
  });

  async function shellContainer(name: string): Promise<string> {
    const run = await runContainer(docker, { image: BUSYBOX, name: `${prefix}-${name}` });
    created.push(run.id);
    return run.id;
  }

  async function execExitCode(id: string, cmd: string[]): Promise<number | null> {
    const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({});
    stream.resume();
    await new Promise((r) => stream.on('end', r));
    return (await exec.inspect()).ExitCode;
  }

  const running = async (id: string): Promise<boolean> => (await docker.getContainer(id).inspect()).State.Running;

  it('attaches to a TTY container, runs what is typed, and detaches with Ctrl+P Ctrl+Q leaving it running', async () => {
    const id = await shellContainer('attach');
    const session = await openTerminal(docker, {
      engine,
      container: id,
      cols: 100,
      rows: 30,
    });
    expect(session.kind).toBe('attach');
    const out = recordOutput(session);
    session.write('echo $((6*7))\n');
    await out.waitFor(/\b42\b/, 'the result of echo');

    // The TTY took our size.
    session.write('stty size\n');
    await out.waitFor(/30 100/, 'the terminal size');
    await session.resize(120, 40);
    session.write('stty size\n');
    await out.waitFor(/40 120/, 'the new terminal size');

    session.write('\x10\x11');
    const exit = await session.exited;
    expect(exit).toEqual({ reason: 'detached' });
    expect(await running(id)).toBe(true);

    // Attach again: the same shell is still there; `exit` ends it and so the container.
    const again = await openTerminal(docker, {
      engine,
      container: id,
      mode: 'attach',
    });
    const out2 = recordOutput(again);
    again.write('echo again-$((1+1))\n');
    await out2.waitFor(/again-2/, 'the second session');
    again.write('exit 5\n');
    expect(await again.exited).toEqual({ reason: 'exited', exitCode: 5 });
    expect(await running(id)).toBe(false);
  });

  it('detach() from the app leaves the container running', async () => {
    const id = await shellContainer('detach-button');
    const session = await openTerminal(docker, {
      engine,
      container: id,
    });
    const out = recordOutput(session);
    session.write('echo ready-$((2+2))\n');
    await out.waitFor(/ready-4/, 'the shell answering');
    expect(await session.detach()).toEqual({ reason: 'detached' });
    expect(await running(id)).toBe(true);
    // Detaching twice is harmless and tells the same story.
    expect(await session.detach()).toEqual({ reason: 'detached' });
    const exits: unknown[] = [];
    session.onExit((e) => exits.push(e));
    expect(exits).toEqual([{ reason: 'detached' }]);
  });

  it('execs a shell in a running container; exiting it leaves the container running', async () => {
    const id = await shellContainer('exec');
    const session = await openTerminal(docker, {
      engine,
      container: id,
      mode: 'exec',
      cols: 90,
      rows: 20,
    });
    expect(session.kind).toBe('exec');
    expect(session.execId).toMatch(/^[0-9a-f]{64}$/);
    const out = recordOutput(session);
    session.write('stty size; echo exec-$((3*3))\n');
    await out.waitFor(/exec-9/, 'the exec shell');
    expect(out.text()).toMatch(/20 90/);
    session.write('exit 3\n');
    expect(await session.exited).toEqual({ reason: 'exited', exitCode: 3 });
    expect(await running(id)).toBe(true);
  });

  it('detaches from an exec session with the detach keys', async () => {
    const id = await shellContainer('exec-detach');
    const session = await openTerminal(docker, {
      engine,
      container: id,
      mode: 'exec',
    });
    const out = recordOutput(session);
    session.write('echo x-$((5+5))\n');
    await out.waitFor(/x-10/, 'the exec shell');
    session.write(new Uint8Array([0x10]));
    session.write(new Uint8Array([0x11]));
    expect(await session.exited).toEqual({ reason: 'detached' });
    expect(await running(id)).toBe(true);
  });

  it('execs into a container without a TTY when asked for auto', async () => {
    const run = await runContainer(docker, {
      image: BUSYBOX,
      name: `${prefix}-notty`,
      interactive: false,
      command: ['sh', '-c', 'while true; do sleep 1; done'],
    });
    created.push(run.id);
    const session = await openTerminal(docker, {
      engine,
      container: run.id,
    });
    expect(session.kind).toBe('exec');
    const out = recordOutput(session);
    session.write('echo y-$((7+1))\n');
    await out.waitFor(/y-8/, 'the exec shell');
    await session.detach();
  });

  it('keeps output that arrived before anyone listened', async () => {
    const id = await shellContainer('backlog');
    const session = await openTerminal(docker, {
      engine,
      container: id,
      mode: 'exec',
    });
    session.write('echo early-$((4*4)); touch /tmp/early-done\n');
    // Wait, without listening, until the shell has run the line (seen from outside, through another exec).
    for (let tries = 0; (await execExitCode(id, ['test', '-f', '/tmp/early-done'])) !== 0; tries++) {
      if (tries > 200) throw new Error('the shell never ran the line');
      await new Promise((r) => setTimeout(r, 50));
    }
    const out = recordOutput(session);
    expect(out.text()).toMatch(/early-16/);
    await session.detach();
  });

  it('refuses to open a terminal in a stopped container, saying to start it', async () => {
    const run = await runContainer(docker, { image: BUSYBOX, name: `${prefix}-stopped`, start: false });
    created.push(run.id);
    let err: StrataError | undefined;
    await openTerminal(docker, {
      engine,
      container: run.id,
    }).catch((e: StrataError) => (err = e));
    expect(err?.code).toBe('conflict');
    expect(err?.message).toMatch(/not running: start it/);
  });

  it('says the container is gone when it does not exist', async () => {
    let err: StrataError | undefined;
    await openTerminal(docker, {
      engine,
      container: `${prefix}-missing`,
    }).catch((e: StrataError) => (err = e));
    expect(err?.code).toBe('not-found');
    expect(err?.details?.status).toBe(404);
  });
});
