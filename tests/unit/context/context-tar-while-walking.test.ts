import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { chmod, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBuildFiles } from '../../../src-main/core/context/context-build-files';
import { createContextTar } from '../../../src-main/core/context/context-pack';
import { scanContext, type ContextScan } from '../../../src-main/core/context/context-scan';
import { writeContextTarWhileWalking } from '../../../src-main/core/context/context-tar-while-walking';
import { TAR_END_BYTES } from '../../../src-main/core/context/tar-layout';
import { TarPoolWriter } from '../../../src-main/core/context/tar-pool-writer';
import { mkfifo } from './mkfifo';
import { readTar } from './tar-read';
import { removeTrees, tempTree, type TreeNode } from './temp-tree';
import { prng } from '../seeded-random';
import { runProcess, type ProcessResult } from '../run-process';

afterEach(removeTrees);

const run = promisify(execFile);

/**
 * Sizes where the writer changes its way: empty, around a block, the small-file limit (read whole with
 * its header), its buffers (256 KiB) and one write's worth of them (1 MiB).
 */
const EDGE_SIZES = [
  0,
  1,
  511,
  512,
  513,
  64 * 1024 - 1,
  64 * 1024,
  64 * 1024 + 1,
  256 * 1024 - 512,
  256 * 1024,
  256 * 1024 + 3,
  1024 * 1024 + 1,
];

/** A random context: files of edge and random sizes in nested folders, links, ignore rules, an outside Dockerfile. */
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
  if (rnd() < 0.3) nodes[`${'deep-folder-name/'.repeat(8)}long-${seed}`] = 'a PAX header';
  const rules = ['node_modules', '**/*.log', '!logs/keep*', 'a/b/c', '!a/b/c/keep.txt*', '*.tmp'];
  if (rnd() < 0.7) nodes['.dockerignore'] = rules.filter(() => rnd() < 0.5).join('\n') + (rnd() < 0.5 ? '\n' : '');
  const dockerfileOutside = rnd() < 0.4;
  if (!dockerfileOutside) nodes['Dockerfile'] = 'FROM scratch\nCOPY . /\n';
  return { nodes, dockerfileOutside };
}

/** What the walk-while-writing puts in a file, and what it resolved with. */
async function writtenWhileWalking(
  contextDir: string,
  dockerfile?: string,
): Promise<{ bytes: Buffer; written: number }> {
  const files = await resolveBuildFiles({
    contextDir,
    builder: 'classic',
    ...(dockerfile !== undefined ? { dockerfile } : {}),
  });
  const out = path.join(await tempTree({}), 'out.tar');
  const fd = openSync(out, 'w');
  let written: number;
  try {
    written = await writeContextTarWhileWalking(files, fd);
  } finally {
    closeSync(fd);
  }
  return { bytes: await readFile(out), written };
}

/** The upload's bytes for a scan done first (build.start streams createContextTar). */
async function uploaded(scan: ContextScan): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createContextTar(scan)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The outside Dockerfile's name is random per walk, and its time is the walk's second: both set aside. */
const ID = /\.dockerfile\.[0-9a-f]{20}/g;
async function entriesOf(tar: Buffer): Promise<unknown[]> {
  const read = await readTar(Readable.from([tar]));
  return read.entries.map((e) => ({
    name: e.name.replace(ID, '.dockerfile.ID'),
    type: e.type,
    size: e.size,
    mode: e.mode,
    linkname: e.linkname,
    content: e.content.toString('latin1').replace(ID, '.dockerfile.ID'),
  }));
}

describe('writeContextTarWhileWalking (strata context --tar: the tar written while the walk goes on)', () => {
  it('writes byte for byte the upload of a walk done first, for 40 generated contexts', async () => {
    let outside = 0;
    let bytes = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { nodes, dockerfileOutside } = randomContext(seed);
      const contextDir = await tempTree(nodes);
      let dockerfile: string | undefined;
      if (dockerfileOutside) {
        outside++;
        dockerfile = path.join(await tempTree({ 'Dockerfile.out': 'FROM scratch\nCOPY . /\n' }), 'Dockerfile.out');
      }
      const ours = await writtenWhileWalking(contextDir, dockerfile);
      const scan = await scanContext({ contextDir, builder: 'classic', ...(dockerfile ? { dockerfile } : {}) });
      const upload = await uploaded(scan);
      expect(ours.written, `seed ${seed}`).toBe(ours.bytes.length);
      expect(ours.bytes.length, `seed ${seed}`).toBe(scan.totalBytes);
      if (dockerfileOutside) expect(await entriesOf(ours.bytes), `seed ${seed}`).toEqual(await entriesOf(upload));
      else expect(ours.bytes.equals(upload), `seed ${seed}`).toBe(true);
      bytes += ours.bytes.length;
    }
    // The draw covered both kinds of Dockerfile and many buffers' worth of bytes.
    expect(outside).toBeGreaterThanOrEqual(8);
    expect(bytes).toBeGreaterThan(40 * 1024 * 1024);
  });

  it('small files batched, large ones across buffers, long and non-UTF-8 names: the upload’s bytes', async () => {
    const files: Record<string, Buffer | string> = { Dockerfile: 'FROM scratch\n' };
    // Enough small files to fill every buffer several times over, and files spanning several buffers.
    for (let i = 0; i < 3000; i++) files[`small/f${i}`] = randomBytes((i * 7919) % 9000);
    for (const size of [64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 5 * 1024 * 1024 + 5, 1024 * 1024])
      files[`large/${size}`] = randomBytes(size);
    files[`${'long-name/'.repeat(20)}x`] = 'a PAX header';
    const contextDir = await tempTree(files);
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "café" in Latin-1: not UTF-8
    writeFileSync(Buffer.concat([Buffer.from(contextDir + '/'), latin1]), 'bytes');
    symlinkSync(latin1, path.join(contextDir, 'link'));
    const ours = await writtenWhileWalking(contextDir);
    const scan = await scanContext({ contextDir, builder: 'classic' });
    expect(scan.entries.length).toBe(1 + 1 + 3000 + 1 + 5 + 20 + 1 + 2);
    expect(ours.bytes.length).toBe(scan.totalBytes);
    expect(ours.bytes.equals(await uploaded(scan))).toBe(true);
  });

  it('writes a synthesised entry larger than its buffers (a big Dockerfile outside the context)', async () => {
    const outside = await tempTree({ Dockerfile: `FROM scratch\n${'# padding\n'.repeat(300_000)}` });
    const contextDir = await tempTree({ 'a.txt': 'a', '.dockerignore': 'nothing\n' });
    const dockerfile = path.join(outside, 'Dockerfile');
    const ours = await writtenWhileWalking(contextDir, dockerfile);
    const scan = await scanContext({ contextDir, dockerfile, builder: 'classic' });
    expect(ours.bytes.length).toBe(scan.totalBytes);
    expect(await entriesOf(ours.bytes)).toEqual(await entriesOf(await uploaded(scan)));
    expect(ours.bytes.length).toBeGreaterThan(3_000_000);
  });

  it('carries the classic builder’s rewritten .dockerignore when the Dockerfile is outside the context', async () => {
    const contextDir = await tempTree({ '.dockerignore': 'secret\n', secret: 'x', 'app.txt': 'app\n' });
    const dockerfile = path.join(await tempTree({ Dockerfile: 'FROM scratch\n' }), 'Dockerfile');
    const ours = await writtenWhileWalking(contextDir, dockerfile);
    const read = await readTar(Readable.from([ours.bytes]));
    const names = read.entries.map((e) => e.name);
    const id = names.find((n) => n.startsWith('.dockerfile.')) as string;
    expect(names).toEqual(['.dockerignore', 'app.txt', id]);
    expect(read.entries[0]?.content.toString()).toBe(`secret\n\n${id}\n`);
    expect(read.entries[2]?.content.toString()).toBe('FROM scratch\n');
  });
});

const tsx = [path.resolve('node_modules/tsx/dist/cli.mjs'), '--tsconfig', path.resolve('tsconfig.json')];
const strata = path.resolve('src-main/cli/strata.ts');

/** The CLI as a separate process with a real pipe on stdout, optionally without root's file access. */
function strataContextTar(contextDir: string, unprivileged: boolean): Promise<ProcessResult> {
  const args = [process.execPath, ...tsx, strata, 'context', contextDir, '--tar', '--builder', 'classic'];
  args.push('--engine-kind', 'docker');
  const drop = ['--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search'];
  const [cmd, ...rest] = unprivileged && process.getuid?.() === 0 ? ['setpriv', ...drop, ...args] : args;
  return runProcess(cmd as string, rest);
}

/** `strata context DIR --tar` in a bash pipeline (`set -o pipefail`), from a scratch folder. */
async function pipeline(contextDir: string, before: string, after: string): Promise<string> {
  const node = [process.execPath, ...tsx, strata].join(' ');
  const cli = `${node} context ${contextDir} --tar --builder classic --engine-kind docker 2>err.txt`;
  const { stdout } = await run(
    'bash',
    ['-c', `set -o pipefail; ${before}${cli} ${after}; echo "exit $?"; cat err.txt`],
    {
      cwd: await tempTree({}),
    },
  );
  return stdout;
}

describe('strata context --tar through a pipe', () => {
  it('an unreadable file found after bytes went out: exit 1 naming it, and a tar cut short with no end', async () => {
    const contextDir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      'a/big.bin': Buffer.alloc(3 * 1024 * 1024, 7),
      'z/secret': 'x',
    });
    await chmod(path.join(contextDir, 'z/secret'), 0o000);
    const cli = await strataContextTar(contextDir, true);
    expect(cli.stderr).toBe(
      `strata context: error checking context: no permission to read from '${path.join(contextDir, 'z/secret')}'\n`,
    );
    expect(cli.code).toBe(1);
    // What went out is never a whole archive: no end-of-archive blocks after it, so no reader takes it for one.
    expect(cli.stdout.length).toBeLessThan(3 * 1024 * 1024 + 4 * 512 + TAR_END_BYTES);
    const tail = cli.stdout.subarray(Math.max(0, cli.stdout.length - TAR_END_BYTES));
    expect(tail.length === TAR_END_BYTES && tail.every((b) => b === 0)).toBe(false);
  });

  it('a reader that goes away: exit 1 with the broken pipe, never 0', async () => {
    const contextDir = await tempTree({ Dockerfile: 'FROM scratch\n', 'big.bin': Buffer.alloc(8 * 1024 * 1024, 1) });
    expect(await pipeline(contextDir, '', '| head -c 1000 | wc -c')).toBe(
      '1000\nexit 1\nstrata context: EPIPE: broken pipe, write\n',
    );
  });

  it('a slow reader, on a pipe another process left non-blocking: every byte, in order, exit 0', async () => {
    // Node turns a pipe non-blocking when it touches process.stdout, for every process sharing the pipe:
    // strata then meets a full pipe as EAGAIN, and must wait for the reader instead of failing or dropping.
    const files: Record<string, Buffer | string> = { Dockerfile: 'FROM scratch\n' };
    for (let i = 0; i < 40; i++) files[`f${i}`] = randomBytes(300 * 1024);
    const contextDir = await tempTree(files);
    const expected = await uploaded(await scanContext({ contextDir, builder: 'classic' }));
    const digest = createHash('sha256').update(expected).digest('hex');
    const out = await pipeline(
      contextDir,
      `{ ${process.execPath} -e "process.stdout.write('')"; `,
      `; } | { sleep 1; sha256sum | cut -d' ' -f1; }`,
    );
    expect(out).toBe(`${digest}\nexit 0\n`);
  });
});

describe('TarPoolWriter with every buffer waiting for the pipe', () => {
  it('headers, PAX headers and synthesised contents that find no free buffer go out whole, in order', async () => {
    // A large file first fills every buffer while nobody reads the pipe; what follows (long names that
    // need PAX headers, small files, a large synthesised Dockerfile) must wait for a buffer, entry by entry.
    const files: Record<string, Buffer | string> = { 'a-big.bin': randomBytes(6 * 1024 * 1024) };
    for (let i = 0; i < 40; i++) files[`b/${'long-folder-name/'.repeat(7)}f${i}`] = randomBytes(i * 37);
    for (let i = 0; i < 300; i++) files[`c/f${i}`] = randomBytes((i * 7919) % 70_000);
    const contextDir = await tempTree(files);
    const outside = await tempTree({ Dockerfile: `FROM scratch\n${'# padding\n'.repeat(150_000)}` });
    const scan = await scanContext({ contextDir, dockerfile: path.join(outside, 'Dockerfile'), builder: 'classic' });
    const scratch = await tempTree({});
    const fifo = path.join(scratch, 'pipe');
    const out = path.join(scratch, 'out.tar');
    mkfifo(fifo);
    // A reader that never reads keeps the pipe open, so the writer's end opens at once and blocks when full.
    const idle = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const fd = openSync(fifo, 'w');
    const reader = spawn('sh', ['-c', `sleep 0.5; cat < '${fifo}' > '${out}'`], { stdio: 'ignore' });
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    try {
      const writer = new TarPoolWriter(fd);
      let waits = 0;
      for (const entry of scan.entries) {
        const held = writer.add(entry);
        if (held) {
          waits++;
          await held;
        }
      }
      expect(await writer.finish()).toBe(scan.totalBytes);
      // The walk was held back at least once: the writer really was full.
      expect(waits).toBeGreaterThan(0);
    } finally {
      closeSync(fd);
      closeSync(idle);
    }
    await readerDone;
    expect((await readFile(out)).equals(await uploaded(scan))).toBe(true);
  });
});
