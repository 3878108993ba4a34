import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { appendFile, readFile, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContextTar, packContext, writeContextTarSync } from '../../../src-main/core/context/context-pack';
import { scanContext, type ContextScan } from '../../../src-main/core/context/context-scan';
import { tarName } from '../../../src-main/core/context/tar-layout';
import { readTar } from './tar-read';
import { removeTrees, tempTree, type TreeNode } from './temp-tree';
import { prng } from '../seeded-random';

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

/** Sizes where the tar writer changes its way: empty, around a block, the small-file limit, its chunk. */
const EDGE_SIZES = [0, 1, 511, 512, 513, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 256 * 1024, 256 * 1024 + 3];

/** A random context: files of edge and random sizes in nested folders, links, non-UTF-8 names, ignore rules. */
function randomContext(seed: number): { nodes: Record<string, TreeNode>; dockerfileOutside: boolean } {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const nodes: Record<string, TreeNode> = {};
  const files: string[] = [];
  const folders = ['', 'a', 'a/b', 'a/b/c', 'z', 'node_modules/x', 'logs', 'ü-folder'];
  const count = 5 + Math.floor(rnd() * 60);
  for (let i = 0; i < count; i++) {
    const dir = pick(folders);
    const name = `${dir ? dir + '/' : ''}${pick(['f', 'g', 'data', 'x.log', 'keep.txt', 'é'])}${i}`;
    const size = rnd() < 0.4 ? pick(EDGE_SIZES) : Math.floor(rnd() * (rnd() < 0.1 ? 2_000_000 : 20_000));
    nodes[name] = Buffer.alloc(size, i % 251);
    files.push(name);
  }
  if (rnd() < 0.6) nodes[`${pick(folders) || 'top'}/empty-${seed}`] = { dir: true };
  if (rnd() < 0.6 && files.length) nodes[`link-${seed}`] = { symlink: pick(files) };
  if (rnd() < 0.5 && files.length) nodes[`zz-hard-${seed}`] = { hardlink: pick(files) };
  if (rnd() < 0.5) nodes[`latin-${seed}-\u00e9`] = 'named in UTF-8';
  const rules = ['node_modules', '**/*.log', '!logs/keep*', 'a/b/c', '!a/b/c/keep.txt*', '*.tmp'];
  if (rnd() < 0.7) nodes['.dockerignore'] = rules.filter(() => rnd() < 0.5).join('\n') + (rnd() < 0.5 ? '\n' : '');
  const dockerfileOutside = rnd() < 0.4;
  if (!dockerfileOutside) nodes['Dockerfile'] = 'FROM scratch\nCOPY . /\n';
  return { nodes, dockerfileOutside };
}

describe('writeContextTarSync (the CLI writes the tar with it, from reused buffers)', () => {
  /** The bytes writeContextTarSync puts in a file, beside the stream's. */
  async function bothTars(scan: ContextScan): Promise<[Buffer, Buffer]> {
    const chunks: Buffer[] = [];
    for await (const chunk of createContextTar(scan)) chunks.push(chunk as Buffer);
    const out = path.join(await tempTree({}), 'out.tar');
    const fd = openSync(out, 'w');
    try {
      writeContextTarSync(scan, fd);
    } finally {
      closeSync(fd);
    }
    return [await readFile(out), Buffer.concat(chunks)];
  }

  it('writes byte for byte the stream build.start uploads: small files batched, large ones in pieces', async () => {
    const files: Record<string, Buffer | string> = { Dockerfile: 'FROM scratch\n' };
    // Enough small files to fill several batches, sizes around the small-file limit, and files of
    // several pieces (the scratch buffers are reused between all of them).
    for (let i = 0; i < 300; i++) files[`small/f${i}`] = randomBytes((i * 7919) % 9000);
    for (const size of [64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 3 * 1024 * 1024 + 5, 1024 * 1024])
      files[`large/${size}`] = randomBytes(size);
    files[`${'long-name/'.repeat(20)}x`] = 'a PAX header';
    const scan = await scanContext({ contextDir: await tempTree(files), builder: 'classic' });
    const [written, streamed] = await bothTars(scan);
    expect(written.length).toBe(scan.totalBytes);
    expect(written.equals(streamed)).toBe(true);
    await expectTarMatchesScan(scan);
  });

  it('writes byte for byte the stream build.start uploads, for 40 generated contexts', async () => {
    let outside = 0;
    let entries = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { nodes, dockerfileOutside } = randomContext(seed);
      let dockerfile: string | undefined;
      if (dockerfileOutside) {
        outside++;
        dockerfile = path.join(await tempTree({ 'Dockerfile.out': 'FROM scratch\nCOPY . /\n' }), 'Dockerfile.out');
      }
      const scan = await scanContext({
        contextDir: await tempTree(nodes),
        builder: 'classic',
        ...(dockerfile ? { dockerfile } : {}),
      });
      const [written, streamed] = await bothTars(scan);
      expect(written.length, `seed ${seed}`).toBe(scan.totalBytes);
      expect(written.equals(streamed), `seed ${seed}`).toBe(true);
      entries += scan.entries.length;
    }
    // The draw covered both kinds of Dockerfile and a good number of entries.
    expect(outside).toBeGreaterThanOrEqual(8);
    expect(entries).toBeGreaterThan(40 * 10);
  });

  it('writes a synthesised entry larger than its scratch buffer (a big Dockerfile outside the context)', async () => {
    const outside = await tempTree({ Dockerfile: `FROM scratch\n${'# padding\n'.repeat(300_000)}` });
    const contextDir = await tempTree({ 'a.txt': 'a', '.dockerignore': 'nothing\n' });
    const scan = await scanContext({ contextDir, dockerfile: path.join(outside, 'Dockerfile'), builder: 'classic' });
    expect(scan.entries.some((e) => e.content && e.content.length > 2.5 * 1024 * 1024)).toBe(true);
    const [written, streamed] = await bothTars(scan);
    expect(written.length).toBe(scan.totalBytes);
    expect(written.equals(streamed)).toBe(true);
  });
});
