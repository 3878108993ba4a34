import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createContextTar } from '../../../src-main/core/context/context-pack';
import { scanContext } from '../../../src-main/core/context/context-scan';
import { contextSize } from '$shared/images/format';
import { TAR_END_BYTES, tarPadding } from '../../../src-main/core/context/tar-layout';
import { readTar } from '../../unit/context/tar-read';
import { removeTrees, tempTree } from '../../unit/context/temp-tree';
import { captureDockerCliContext, dockerCliOrSkip } from './docker-cli-capture';
import { trickyContexts } from './tricky-contexts';

/** setcap (Debian libcap2-bin), to give a file a capability; root is needed to set one. */
function findSetcap(): string | null {
  for (const p of ['/usr/sbin/setcap', '/sbin/setcap']) {
    try {
      execFileSync(p, ['-h'], { stdio: 'ignore' });
    } catch (err) {
      // `setcap -h` exits 1 after printing its usage: it exists.
      if ((err as { status?: number }).status === undefined) continue;
    }
    return process.getuid?.() === 0 ? p : null;
  }
  return null;
}
const setcap = findSetcap();
if (!setcap) {
  if (process.env.STRATA_REQUIRE_ENGINE === '1' && process.getuid?.() === 0)
    throw new Error('STRATA_REQUIRE_ENGINE=1 but setcap is not installed (Debian package libcap2-bin)');
  console.warn('[skip] file capability comparison: needs setcap (libcap2-bin) and root');
}
const cli = dockerCliOrSkip('docker CLI context comparison');

afterEach(removeTrees);

async function ourTar(contextDir: string, dockerfile?: string): Promise<{ tar: Buffer; totalBytes: number }> {
  const scan = await scanContext({ contextDir, builder: 'classic', ...(dockerfile ? { dockerfile } : {}) });
  const chunks: Buffer[] = [];
  for await (const chunk of createContextTar(scan)) chunks.push(chunk as Buffer);
  return { tar: Buffer.concat(chunks), totalBytes: scan.totalBytes };
}

/** Header bytes that legitimately differ: user/group names (Go looks them up; we leave them empty) and the checksum over them. */
function sameBlock(ours: Buffer, theirs: Buffer, offset: number): boolean {
  for (let i = 0; i < 512; i++) {
    if ((i >= 148 && i < 156) || (i >= 265 && i < 329)) continue;
    if (ours[offset + i] !== theirs[offset + i]) return false;
  }
  return true;
}

describe.skipIf(!cli)(`the context tar equals the one the docker CLI uploads (${cli})`, () => {
  it.each(trickyContexts.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = await tempTree(c.files);
    const dockerfile = c.dockerfile ? path.join(dir, c.dockerfile) : undefined;
    const theirs = await captureDockerCliContext({ contextDir: dir, ...(dockerfile ? { dockerfile } : {}) });
    const ours = await ourTar(dir, dockerfile);

    // Same entries, same order, same sizes, as read by an independent reader.
    const a = await readTar(Readable.from([ours.tar]));
    const b = await readTar(Readable.from([theirs.tar]));
    expect(a.entries.map((e) => [e.name, e.type, e.size, e.linkname, e.mode])).toEqual(
      b.entries.map((e) => [e.name, e.type, e.size, e.linkname, e.mode]),
    );
    // Same bytes: every block but the user/group names, and the "Sending build context" figure.
    expect(ours.tar.length).toBe(theirs.tar.length);
    expect(ours.totalBytes).toBe(theirs.tar.length);
    const differing: number[] = [];
    for (let off = 0; off < ours.tar.length; off += 512)
      if (!sameBlock(ours.tar, theirs.tar, off)) differing.push(off / 512);
    expect(differing).toEqual([]);
    // docker/cli prints action + " " + fmt.Sprintf("%8v", units.HumanSize(n)).
    expect(theirs.output).toContain(
      `Sending build context to Docker daemon ${contextSize(ours.totalBytes).padStart(8)}`,
    );
    if (c.dockerfileNotSent) expect(a.entries.map((e) => e.name)).not.toContain(c.dockerfile);
  });

  it('matches the docker CLI for a Dockerfile outside the context (random name aside)', async () => {
    const outside = await tempTree({ 'Dockerfile.ci': 'FROM strata-test/busybox:latest\nCOPY . /ctx/\n' });
    const dir = await tempTree({ '.dockerignore': 'secret\n', app: 'a', secret: 's' });
    const dockerfile = path.join(outside, 'Dockerfile.ci');
    const captured = (await captureDockerCliContext({ contextDir: dir, dockerfile })).tar;
    // docker/cli's ReplaceFileTarWrapper closes the pipe before its tar writer, so the last entry's
    // padding and the two end blocks never reach the daemon. Ours is a complete tar: add them back.
    const completed = Buffer.concat([captured, Buffer.alloc(tarPadding(captured.length)), Buffer.alloc(TAR_END_BYTES)]);
    const theirs = await readTar(Readable.from([completed]));
    const ours = await readTar(Readable.from([(await ourTar(dir, dockerfile)).tar]));
    const normalise = (entries: typeof ours.entries): unknown[] =>
      entries.map((e) => [
        e.name.replace(/^\.dockerfile\.[0-9a-f]{20}$/, '.dockerfile.<id>'),
        e.size,
        e.mode,
        e.content.toString().replace(/\.dockerfile\.[0-9a-f]{20}/, '.dockerfile.<id>'),
      ]);
    expect(normalise(ours.entries)).toEqual(normalise(theirs.entries));
    expect(ours.bytes).toBe(completed.length);
  });

  it('keeps file names that are not UTF-8 as bytes, byte for byte as the docker CLI sends them', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\nCOPY . /\n', '.dockerignore': 'drop?\n' });
    const at = (...parts: (string | number[])[]): Buffer =>
      Buffer.concat([
        Buffer.from(dir + '/'),
        ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))),
      ]);
    writeFileSync(at('caf', [0xe9]), 'latin-1 name\n');
    mkdirSync(at('d', [0xff]));
    writeFileSync(at('d', [0xff], '/inner-', [0xc3, 0x28]), 'x');
    symlinkSync(Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9])]), at('link-to-', [0xe9]));
    writeFileSync(at('long-', 'n'.repeat(100), [0xe9]), 'long');
    writeFileSync(at('drop', [0xe9]), 'excluded by drop?');
    writeFileSync(at('caf\u00e9-utf8'), 'a valid name');

    const theirs = await captureDockerCliContext({ contextDir: dir });
    const ours = await ourTar(dir);
    expect(ours.tar.length).toBe(theirs.tar.length);
    const differing: number[] = [];
    for (let off = 0; off < ours.tar.length; off += 512)
      if (!sameBlock(ours.tar, theirs.tar, off)) differing.push(off / 512);
    expect(differing).toEqual([]);
    const names = (await readTar(Readable.from([ours.tar]))).entries.map((e) => e.name);
    expect(names).toHaveLength(8);
  });

  it.skipIf(!setcap)(
    'sends a file capability (security.capability) in a PAX record, as the docker CLI does',
    async () => {
      const dir = await tempTree({
        Dockerfile: 'FROM scratch\nCOPY . /\n',
        bin: { content: '#!/bin/sh\n', mode: 0o755 },
        'sub/tool': 'x',
        plain: 'p',
      });
      execFileSync(setcap as string, ['cap_net_raw+ep', path.join(dir, 'bin')]);
      execFileSync(setcap as string, ['cap_net_bind_service,cap_chown=eip', path.join(dir, 'sub/tool')]);
      const theirs = await captureDockerCliContext({ contextDir: dir });
      const ours = await ourTar(dir);
      expect(theirs.tar.includes(Buffer.from('SCHILY.xattr.security.capability='))).toBe(true);
      expect(ours.tar.length).toBe(theirs.tar.length);
      expect(ours.totalBytes).toBe(theirs.tar.length);
      const differing: number[] = [];
      for (let off = 0; off < ours.tar.length; off += 512)
        if (!sameBlock(ours.tar, theirs.tar, off)) differing.push(off / 512);
      expect(differing).toEqual([]);
    },
  );

  it('refuses a Dockerfile symlinked out of the context, as the docker CLI does', async () => {
    const outside = await tempTree({ 'Dockerfile.real': 'FROM scratch\nCOPY . /\n' });
    const dir = await tempTree({ Dockerfile: { symlink: path.join(outside, 'Dockerfile.real') }, app: 'x' });
    await expect(captureDockerCliContext({ contextDir: dir })).rejects.toThrow(/unable to open Dockerfile/);
    await expect(ourTar(dir)).rejects.toThrow(/^unable to open Dockerfile: .* is a symlink to .*, outside the context/);
  });
});
