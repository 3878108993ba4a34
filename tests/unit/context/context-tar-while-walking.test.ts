import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { chmod, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveBuildFiles } from '../../../src-main/core/context/context-build-files';
import { createContextTar } from '../../../src-main/core/context/context-pack';
import { scanContext, type ContextScan } from '../../../src-main/core/context/context-scan';
import { writeContextTarWhileWalking } from '../../../src-main/core/context/context-tar-while-walking';
import { TAR_END_BYTES } from '../../../src-main/core/context/tar-layout';
import { readTar } from './tar-read';
import { removeTrees, tempTree, type TreeNode } from './temp-tree';

afterEach(removeTrees);

const run = promisify(execFile);

/** mulberry32: a small seeded generator, so a failing seed can be run again. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sizes where the tar writer changes its way: empty, around a block, the small-file limit, its chunk. */
const EDGE_SIZES = [0, 1, 511, 512, 513, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 256 * 1024, 256 * 1024 + 3];

/** A random context: files of edge and random sizes in nested folders, links, non-UTF-8 names, ignore rules. */
function randomContext(seed: number): { nodes: Record<string, TreeNode>; dockerfileOutside: boolean } {
  const rnd = seeded(seed);
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

/** Writes the tar while walking into a file; returns its bytes and the scan it resolved with. */
async function writtenWhileWalking(
  contextDir: string,
  dockerfile?: string,
): Promise<{ bytes: Buffer; scan: ContextScan }> {
  const files = await resolveBuildFiles({
    contextDir,
    builder: 'classic',
    ...(dockerfile !== undefined ? { dockerfile } : {}),
  });
  const out = path.join(await tempTree({}), 'out.tar');
  const fd = openSync(out, 'w');
  let scan: ContextScan;
  try {
    scan = await writeContextTarWhileWalking(files, fd);
  } finally {
    closeSync(fd);
  }
  return { bytes: await readFile(out), scan };
}

async function streamed(scan: ContextScan): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createContextTar(scan)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('writeContextTarWhileWalking (strata context --tar: the tar written while the walk goes on)', () => {
  it('writes byte for byte the tar of a walk done first, for 40 generated contexts', async () => {
    let outside = 0;
    let entries = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { nodes, dockerfileOutside } = randomContext(seed);
      const contextDir = await tempTree(nodes);
      let dockerfile: string | undefined;
      if (dockerfileOutside) {
        outside++;
        dockerfile = path.join(await tempTree({ 'Dockerfile.out': 'FROM scratch\nCOPY . /\n' }), 'Dockerfile.out');
      }
      const { bytes, scan } = await writtenWhileWalking(contextDir, dockerfile);
      // The same entries as a walk done first (the outside Dockerfile's name is random per walk) …
      const first = await scanContext({ contextDir, builder: 'classic', ...(dockerfile ? { dockerfile } : {}) });
      const named = (s: ContextScan) =>
        s.entries.map((e) => ({
          ...e,
          path: e.path.replace(/^\.dockerfile\.[0-9a-f]{20}$/, '.dockerfile.ID'),
          ...(e.content
            ? { content: e.content.toString().replace(/\.dockerfile\.[0-9a-f]{20}/g, '.dockerfile.ID') }
            : {}),
        }));
      expect(named(scan), `seed ${seed}`).toEqual(named(first));
      // … and exactly the bytes build.start would upload for them.
      expect(bytes.length, `seed ${seed}`).toBe(scan.totalBytes);
      expect(bytes.equals(await streamed(scan)), `seed ${seed}`).toBe(true);
      entries += scan.entries.length;
    }
    // The draw covered both kinds of Dockerfile and a good number of entries.
    expect(outside).toBeGreaterThanOrEqual(8);
    expect(entries).toBeGreaterThan(40 * 10);
  });

  it('small files batched, large ones in pieces, long names: the same bytes as the upload', async () => {
    const files: Record<string, Buffer | string> = { Dockerfile: 'FROM scratch\n' };
    // Enough small files to fill several batches, sizes around the small-file limit, and files of
    // several pieces (the scratch buffers are reused between all of them).
    for (let i = 0; i < 300; i++) files[`small/f${i}`] = randomBytes((i * 7919) % 9000);
    for (const size of [64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 3 * 1024 * 1024 + 5, 1024 * 1024])
      files[`large/${size}`] = randomBytes(size);
    files[`${'long-name/'.repeat(20)}x`] = 'a PAX header';
    const { bytes, scan } = await writtenWhileWalking(await tempTree(files));
    expect(scan.entries.length).toBe(1 + 1 + 300 + 1 + 5 + 20 + 1);
    expect(bytes.length).toBe(scan.totalBytes);
    expect(bytes.equals(await streamed(scan))).toBe(true);
  });

  it('writes a synthesised entry larger than its buffers (a big Dockerfile outside the context)', async () => {
    const outside = await tempTree({ Dockerfile: `FROM scratch\n${'# padding\n'.repeat(300_000)}` });
    const contextDir = await tempTree({ 'a.txt': 'a', '.dockerignore': 'nothing\n' });
    const { bytes, scan } = await writtenWhileWalking(contextDir, path.join(outside, 'Dockerfile'));
    expect(scan.entries.some((e) => e.content && e.content.length > 2.5 * 1024 * 1024)).toBe(true);
    expect(bytes.length).toBe(scan.totalBytes);
    expect(bytes.equals(await streamed(scan))).toBe(true);
  });

  it('carries the classic builder’s rewritten .dockerignore when the Dockerfile is outside the context', async () => {
    const contextDir = await tempTree({ '.dockerignore': 'secret\n', secret: 'x', 'app.txt': 'app\n' });
    const dockerfile = path.join(await tempTree({ Dockerfile: 'FROM scratch\n' }), 'Dockerfile');
    const { bytes, scan } = await writtenWhileWalking(contextDir, dockerfile);
    const read = await readTar(createContextTar(scan));
    const names = read.entries.map((e) => e.name);
    const id = names.find((n) => n.startsWith('.dockerfile.')) as string;
    expect(names).toEqual(['.dockerignore', 'app.txt', id]);
    expect(read.entries[0]?.content.toString()).toBe(`secret\n\n${id}\n`);
    expect(bytes.equals(await streamed(scan))).toBe(true);
  });
});

/** The CLI as a separate process with a real pipe on stdout, optionally without root's file access. */
function strataContextTar(
  contextDir: string,
  unprivileged: boolean,
): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  const node = [
    process.execPath,
    path.resolve('node_modules/tsx/dist/cli.mjs'),
    path.resolve('src-main/cli/strata.ts'),
  ];
  const args = [...node, 'context', contextDir, '--tar', '--builder', 'classic', '--engine-kind', 'docker'];
  const drop = ['--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search'];
  const [cmd, ...rest] = unprivileged && process.getuid?.() === 0 ? ['setpriv', ...drop, ...args] : args;
  return new Promise((done, fail) => {
    const child = spawn(cmd as string, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout: Buffer.concat(out), stderr: err }));
  });
}

describe('strata context --tar when something fails part way', () => {
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
    const node = `${process.execPath} ${path.resolve('node_modules/tsx/dist/cli.mjs')} --tsconfig ${path.resolve('tsconfig.json')} ${path.resolve('src-main/cli/strata.ts')}`;
    const { stdout } = await run(
      'bash',
      [
        '-c',
        `set -o pipefail; ${node} context ${contextDir} --tar --builder classic --engine-kind docker 2>err.txt | head -c 1000 | wc -c; echo "exit $?"; cat err.txt`,
      ],
      { cwd: await tempTree({}) },
    );
    expect(stdout).toBe('1000\nexit 1\nstrata context: EPIPE: broken pipe, write\n');
  });
});
