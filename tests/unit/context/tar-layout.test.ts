import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ContextEntry } from '../../../src-main/core/context/context-entry';
import {
  TAR_END_BYTES,
  tarEntryBytes,
  tarHeaderBlocks,
  tarPadding,
  windowsTarMode,
  writeUstarHeader,
} from '../../../src-main/core/context/tar-layout';
import { readTar } from './tar-read';

describe('windows permissions (go-archive TestChmodTarEntry)', () => {
  it.each([
    [0o000, 0o111],
    [0o777, 0o755],
    [0o644, 0o755],
    [0o755, 0o755],
    [0o444, 0o555],
  ])('%o → %o', (mode, want) => {
    expect(windowsTarMode(mode)).toBe(want);
  });
});

function entry(partial: Partial<ContextEntry> & Pick<ContextEntry, 'path'>): ContextEntry {
  return { type: 'file', size: 0, mode: 0o644, mtime: 1_700_000_000, ...partial };
}

const names = [
  'a',
  'x'.repeat(100),
  'x'.repeat(101),
  `${'p'.repeat(155)}/${'n'.repeat(100)}`,
  `${'p'.repeat(156)}/n`,
  `${'a'.repeat(50)}/${'b'.repeat(120)}`,
  'ünïcödé',
  '😀/x',
];

describe('header layout', () => {
  const cases: ContextEntry[] = [
    ...names.map((p) => entry({ path: p, size: 3, content: Buffer.from('abc') })),
    ...names.map((p) => entry({ path: p, type: 'dir' })),
    entry({ path: 'dir-' + 'd'.repeat(100), type: 'dir' }),
    entry({ path: 'l', type: 'symlink', linkname: 't'.repeat(101) }),
    entry({ path: 'l2', type: 'symlink', linkname: 'tårget' }),
    entry({ path: 'h', type: 'hardlink', linkname: 'a' }),
    entry({ path: 'old', mtime: -5 }),
  ];

  it.each(cases.map((c) => [c.path.slice(0, 40), c.type, c] as const))(
    '%s (%s): computed size equals the bytes written',
    (_n, _t, c) => {
      expect(tarHeaderBlocks(c).length + (c.type === 'file' ? c.size + tarPadding(c.size) : 0)).toBe(tarEntryBytes(c));
    },
  );

  it('is read back by an independent reader with every name, link and size intact', async () => {
    const blocks: Buffer[] = [];
    for (const c of cases) {
      blocks.push(tarHeaderBlocks(c));
      if (c.type === 'file') blocks.push(c.content ?? Buffer.alloc(0), Buffer.alloc(tarPadding(c.size)));
    }
    blocks.push(Buffer.alloc(TAR_END_BYTES));
    const read = await readTar(Readable.from(blocks));
    expect(read.entries.map((e) => [e.name, e.linkname ?? undefined, e.size])).toEqual(
      cases.map((c) => [c.type === 'dir' ? c.path + '/' : c.path, c.linkname, c.type === 'file' ? c.size : 0]),
    );
  });

  it('writes a one-block header in place with the same bytes as tarHeaderBlocks, over any old bytes', () => {
    const oneBlock = [
      ...cases,
      entry({ path: 'setuid', mode: 0o4755, size: 2 ** 33 - 1 }),
      entry({ path: 'epoch', mtime: 0, size: 0 }),
      entry({ path: 'late', mtime: 2 ** 33 - 1 }),
      entry({ path: 'l100', type: 'symlink', linkname: 'l'.repeat(100) }),
      entry({ path: 'd'.repeat(99), type: 'dir', mode: 0o1777 }),
      entry({ path: 'tty', type: 'char-device', devmajor: 4, devminor: 64 }),
      entry({ path: 'fifo', type: 'fifo', mode: 0o600 }),
    ].filter((c) => tarHeaderBlocks(c).length === 512);
    expect(oneBlock.length).toBeGreaterThan(10);
    for (const c of oneBlock) {
      const target = Buffer.alloc(512 + 7, 0xff);
      expect(writeUstarHeader(c, target, 7)).toBe(512);
      expect(target.subarray(7).equals(tarHeaderBlocks(c)), c.path).toBe(true);
      expect(target.subarray(0, 7).every((b) => b === 0xff)).toBe(true);
    }
  });

  it('uses a plain ustar header when the name fits, split at the last fitting slash', () => {
    const blk = tarHeaderBlocks(entry({ path: `${'a'.repeat(50)}/${'b'.repeat(60)}/${'c'.repeat(60)}` }));
    expect(blk.length).toBe(512);
    expect(blk.subarray(345, 345 + 111).toString()).toBe(`${'a'.repeat(50)}/${'b'.repeat(60)}`);
    expect(blk.subarray(257, 263).toString()).toBe('ustar\0');
  });

  it('puts sizes of 8GiB and more in a PAX record', () => {
    const big = entry({ path: 'huge', size: 2 ** 33 });
    const blk = tarHeaderBlocks(big);
    expect(blk.subarray(512, 1024).toString()).toContain('size=8589934592');
    expect(tarEntryBytes(big)).toBe(1536 + 2 ** 33);
  });
});
