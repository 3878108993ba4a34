import http2 from 'node:http2';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { openBuildSession, restoreRepeatedHeaders } from '../../../../src-main/core/build/session/build-session';
import { FILE_SYNC_METHOD } from '../../../../src-main/core/build/session/file-sync-service';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('repeated gRPC metadata: a list sent as repeated header fields stays a list', () => {
  it('puts back every repeated field from the raw headers, and leaves single ones and pseudo-headers alone', () => {
    const headers: http2.IncomingHttpHeaders = {
      ':path': '/x',
      'include-patterns': 'a, b.txt, c.txt',
      'dir-name': 'context',
    };
    restoreRepeatedHeaders(headers, [
      ':path',
      '/x',
      'include-patterns',
      'a, b.txt',
      'dir-name',
      'context',
      'Include-Patterns',
      'c.txt',
    ]);
    expect(headers).toEqual({ ':path': '/x', 'include-patterns': ['a, b.txt', 'c.txt'], 'dir-name': 'context' });
  });

  it('serves DiffCopy with a pattern holding ", " as one pattern, end to end over HTTP/2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-headers-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    for (const name of ['a, b.txt', 'b.txt', 'c.txt', 'd.txt']) await writeFile(join(dir, name), name);

    // The engine's side of the hijacked connection: a loopback unix socket pair, the test as HTTP/2 client.
    const sock = join(dir, 's.sock');
    const accepted = new Promise<net.Socket>((resolve) => {
      const server = net.createServer(resolve).listen(sock);
      cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
    });
    const client = net.connect(sock);
    const ours = await accepted;
    const docker = {
      modem: { dial: (_options: unknown, callback: (err: null, socket: net.Socket) => void) => callback(null, ours) },
    } as unknown as Docker;
    const session = await openBuildSession(docker, { dirs: new Map([['context', { root: dir }]]), sharedKey: 'k' });
    cleanups.push(() => session.close());
    const described: string[] = [];
    const allDescribed = new Promise<void>((resolve) => {
      session.counter.onStat = (call, stat) => {
        expect(call).toEqual({ dir: 'context', includes: ['a, b.txt', 'c.txt'] });
        described.push(stat.path.toString('utf8'));
        if (described.length === 2) resolve();
      };
    });

    const h2 = http2.connect('http://localhost', { createConnection: () => client });
    cleanups.push(() => void h2.destroy());
    const req = h2.request({
      ':method': 'POST',
      ':path': FILE_SYNC_METHOD,
      'content-type': 'application/grpc',
      te: 'trailers',
      'dir-name': 'context',
      // Two fields, as grpc-go sends a list; Node would hand them over joined as "a, b.txt, c.txt".
      'include-patterns': ['a, b.txt', 'c.txt'],
    });
    req.on('error', () => undefined);
    req.resume();
    await allDescribed;
    expect(described).toEqual(['a, b.txt', 'c.txt']);
    expect(session.calls).toEqual([FILE_SYNC_METHOD]);
  });
});
