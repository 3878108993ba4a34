import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTerminalSession } from '../../../src-main/core/containers/terminal-session';

/** A socket that records what the session sends to the engine. */
function recordingSocket(): { socket: Duplex; sent: () => string; destroyed: () => boolean } {
  const chunks: Buffer[] = [];
  const socket = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { socket, sent: () => Buffer.concat(chunks).toString('latin1'), destroyed: () => socket.destroyed };
}

function session(withholdDetachKeys: boolean) {
  const rec = recordingSocket();
  const terminal = createTerminalSession({
    kind: 'attach',
    containerId: 'c1',
    socket: rec.socket,
    tty: true,
    detachSequence: [0x10, 0x11],
    withholdDetachKeys,
    resize: async () => undefined,
    settle: async (detached) => (detached ? { reason: 'detached' } : { reason: 'exited', exitCode: 0 }),
  });
  return { terminal, ...rec };
}

describe('terminal session: detach keys on an engine that passes them to the process (Podman)', () => {
  it('keeps the keys from the engine, even split across writes, and lets go itself', async () => {
    const { terminal, sent, destroyed } = session(true);
    terminal.write('ls\n\x10');
    await new Promise((r) => setImmediate(r));
    expect(sent()).toBe('ls\n');
    terminal.write('\x11echo never\n');
    expect(await terminal.exited).toEqual({ reason: 'detached' });
    expect(sent()).toBe('ls\n');
    expect(destroyed()).toBe(true);
  });

  it('sends a Ctrl+P that turns out not to start the sequence, with what follows', async () => {
    const { terminal, sent } = session(true);
    terminal.write('\x10');
    terminal.write('\x10x\n');
    await new Promise((r) => setImmediate(r));
    expect(sent()).toBe('\x10\x10x\n');
  });

  it('on Docker sends the keys, for the engine detaches on them itself', async () => {
    const { terminal, sent } = session(false);
    terminal.write('\x10\x11');
    await new Promise((r) => setImmediate(r));
    expect(sent()).toBe('\x10\x11');
    await terminal.detach();
  });
});

describe('terminal session: how it ended cannot be told', () => {
  it('ends with the error settle() failed with, rather than never ending', async () => {
    const rec = recordingSocket();
    const terminal = createTerminalSession({
      kind: 'exec',
      containerId: 'c1',
      socket: rec.socket,
      tty: true,
      detachSequence: [0x10, 0x11],
      resize: async () => undefined,
      settle: () => Promise.reject(new Error('the inspect answer was not JSON')),
    });
    const seen: unknown[] = [];
    terminal.onExit((exit) => seen.push(exit));
    rec.socket.destroy();
    const exit = await terminal.exited;
    expect(exit.reason).toBe('error');
    expect(exit.error?.toJSON()).toEqual({ code: 'internal', message: 'the inspect answer was not JSON' });
    expect(seen).toEqual([exit]);
  });
});
