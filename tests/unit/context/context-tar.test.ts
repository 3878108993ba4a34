import { appendFile, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContextTar, packContext } from '../../../src-main/core/context/context-pack';
import { scanContext, type ContextScan } from '../../../src-main/core/context/context-scan';
import { tarName } from '../../../src-main/core/context/tar-layout';
import { readTar } from './tar-read';
import { removeTrees, tempTree } from './temp-tree';

afterEach(removeTrees);

const TYPES: Record<string, string> = {
  file: 'file',
  dir: 'directory',
  symlink: 'symlink',
  hardlink: 'link',
  fifo: 'fifo',
};

/** The tar read back must hold exactly the scan's entries, in order, with the scan's byte total. */
async function expectTarMatchesScan(scan: ContextScan): Promise<Awaited<ReturnType<typeof readTar>>> {
  const read = await readTar(createContextTar(scan));
  expect(read.bytes).toBe(scan.totalBytes);
  expect(read.entries.map((e) => [e.name, e.type, e.size, e.linkname ?? undefined, e.mode, e.uid, e.gid])).toEqual(
    scan.entries.map((e) => [tarName(e), TYPES[e.type], e.size, e.linkname, e.mode, 0, 0]),
  );
  for (const [i, e] of scan.entries.entries()) {
    if (e.type !== 'file') continue;
    const expected = e.content ?? (await readFile(path.join(scan.contextDir, e.path)));
    expect(read.entries[i]?.content.equals(expected), e.path).toBe(true);
  }
  return read;
}

describe('the context tar', () => {
  it('reads back to exactly the scanned entries, contents and byte count', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\nCOPY . /ctx/\n',
      '.dockerignore': 'dir\n!dir/keep\nnode_modules\n',
      'dir/keep': 'kept',
      'dir/drop': 'dropped',
      'node_modules/x.js': 'x',
      'src/a.txt': 'a'.repeat(511),
      'src/b.txt': 'b'.repeat(512),
      'src/c.txt': 'c'.repeat(513),
      'src/empty': '',
      'src/link': { symlink: 'a.txt' },
      'src/hard': { hardlink: 'src/a.txt' },
    });
    await expectTarMatchesScan(await scanContext({ contextDir: dir, builder: 'classic' }));
  });

  it('writes PAX headers for long, non-ASCII and link names, and still adds up exactly', async () => {
    const long = 'n'.repeat(120);
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      [`${'p'.repeat(90)}/${'q'.repeat(90)}/file.txt`]: 'split into prefix and name',
      [`deep/${long}`]: 'one segment over 100 bytes',
      [`dir-${'d'.repeat(110)}/x`]: 'directory with a long last segment',
      'héllo wörld ☃.txt': 'unicode',
      'long-target': { symlink: '/' + 't'.repeat(150) },
      'unicode-target': { symlink: 'tårget' },
      [`hard-${long}`]: { hardlink: 'héllo wörld ☃.txt' },
    });
    const scan = await scanContext({ contextDir: dir });
    const read = await expectTarMatchesScan(scan);
    expect(read.entries.map((e) => e.name)).toContain(`deep/${long}`);
  });

  it('streams a large file in bounded chunks rather than whole', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', big: '' });
    await truncate(path.join(dir, 'big'), 48 * 1024 * 1024 + 7); // sparse
    const { scan, stream } = await packContext({ contextDir: dir });
    const read = await readTar(stream);
    expect(read.bytes).toBe(scan.totalBytes);
    expect(read.entries.find((e) => e.name === 'big')?.size).toBe(48 * 1024 * 1024 + 7);
    // Chunks are about 1MiB (a chunk plus at most one small file and its header), far below the file.
    expect(read.largestChunk).toBeLessThanOrEqual(1.25 * 1024 * 1024);
  });

  it('carries the classic builder’s synthesised .dockerfile.<id> and .dockerignore', async () => {
    const outside = await tempTree({ 'Dockerfile.dev': 'FROM scratch\nCOPY . /\n' });
    const dir = await tempTree({ '.dockerignore': 'secret\n', app: 'a', secret: 's' });
    const scan = await scanContext({
      contextDir: dir,
      builder: 'classic',
      dockerfile: path.join(outside, 'Dockerfile.dev'),
    });
    const read = await expectTarMatchesScan(scan);
    expect(read.entries.map((e) => e.name)).toEqual(['.dockerignore', 'app', scan.entries[2]?.path]);
    expect(read.entries[2]?.content.toString()).toBe('FROM scratch\nCOPY . /\n');
  });

  it('fails, naming the file, when a file shrank after the scan', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', data: 'x'.repeat(5000) });
    const scan = await scanContext({ contextDir: dir });
    await truncate(path.join(dir, 'data'), 10);
    await expect(readTar(createContextTar(scan))).rejects.toThrow('data changed while the context was being sent');
  });

  it('sends only the scanned length of a file that grew after the scan', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', log: 'line 1\n' });
    const scan = await scanContext({ contextDir: dir });
    await appendFile(path.join(dir, 'log'), 'line 2\n');
    const read = await readTar(createContextTar(scan));
    expect(read.bytes).toBe(scan.totalBytes);
    expect(read.entries.find((e) => e.name === 'log')?.content.toString()).toBe('line 1\n');
  });

  it('stops when the signal aborts', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', big: '' });
    await truncate(path.join(dir, 'big'), 64 * 1024 * 1024);
    const controller = new AbortController();
    const { stream } = await packContext({ contextDir: dir, signal: controller.signal });
    let received = 0;
    const done = new Promise<unknown>((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > 1024 * 1024) controller.abort();
      });
      stream.on('error', resolve);
      stream.on('end', () => resolve(null));
    });
    const err = await done;
    expect(err).toMatchObject({ name: 'AbortError' });
    expect(received).toBeLessThan(64 * 1024 * 1024);
  });

  it('writes a mode, uid/gid 0 and a whole-second mtime for every entry', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n' });
    await writeFile(path.join(dir, 'script.sh'), '#!/bin/sh\n', { mode: 0o750 });
    const scan = await scanContext({ contextDir: dir });
    const read = await expectTarMatchesScan(scan);
    expect(read.entries.find((e) => e.name === 'script.sh')?.mode).toBe(0o750);
  });
});
