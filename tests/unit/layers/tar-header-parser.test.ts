import { describe, expect, it } from 'vitest';
import { TarHeaderParser } from '../../../src-main/core/layers/tar-header-parser';
import type { TarHeader } from '../../../src-main/core/layers/tar-header-parser';
import { packTar } from './archive-helpers';

/** A raw 512-byte header, written by hand to cover what tar-stream never writes (GNU long names, base-256). */
function rawHeader(options: {
  name: string;
  typeflag: string;
  size?: number;
  base256Size?: boolean;
  magic?: 'ustar' | 'gnu';
  prefix?: string;
  linkname?: string;
}): Buffer {
  const block = Buffer.alloc(512);
  block.write(options.name, 0, 100, 'utf8');
  block.write('0000644\0', 100, 'latin1');
  block.write('0001750\0', 108, 'latin1');
  block.write('0001750\0', 116, 'latin1');
  const size = options.size ?? 0;
  if (options.base256Size) {
    block[124] = 0x80;
    block.writeUIntBE(size, 136 - 6, 6);
  } else {
    block.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  }
  block.write('14537201200\0', 136, 'latin1');
  block.write(options.typeflag, 156, 'latin1');
  if (options.linkname) block.write(options.linkname, 157, 100, 'utf8');
  if (options.magic === 'gnu') block.write('ustar  \0', 257, 'latin1');
  else block.write('ustar\u000000', 257, 'latin1');
  if (options.prefix) block.write(options.prefix, 345, 155, 'utf8');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

function body(content: string | Buffer): Buffer {
  const bytes = Buffer.from(content);
  const padded = Buffer.alloc(Math.ceil(bytes.length / 512) * 512);
  bytes.copy(padded);
  return padded;
}

function parse(bytes: Buffer, chunk = bytes.length): { headers: TarHeader[]; bodies: Map<string, string> } {
  const headers: TarHeader[] = [];
  const bodies = new Map<string, string>();
  const parser = new TarHeaderParser({
    onEntry: (header) => {
      headers.push(header);
      const parts: Buffer[] = [];
      return {
        write: (data) => parts.push(Buffer.from(data)),
        end: () => bodies.set(header.name, Buffer.concat(parts).toString()),
      };
    },
  });
  for (let i = 0; i < bytes.length; i += chunk) parser.push(bytes.subarray(i, i + chunk));
  parser.end();
  return { headers, bodies };
}

const END = Buffer.alloc(1024);

describe('TarHeaderParser', () => {
  it('reads PAX long names and link targets as tar-stream writes them, in any chunking', async () => {
    const longName = `usr/share/${'very-long-directory-name/'.repeat(8)}file.txt`;
    const longTarget = `/opt/${'x'.repeat(150)}`;
    const tar = await packTar([
      { header: { name: longName, type: 'file', mode: 0o755, uid: 1000, gid: 1000 }, data: 'hello' },
      { header: { name: 'link', type: 'symlink', linkname: longTarget } },
      { header: { name: 'dir/', type: 'directory' } },
    ]);
    for (const chunk of [1, 7, 512, 100_000]) {
      const { headers, bodies } = parse(tar, chunk);
      expect(headers.map((h) => [h.name, h.kind, h.size])).toEqual([
        [longName, 'file', 5],
        ['link', 'symlink', 0],
        ['dir/', 'directory', 0],
      ]);
      expect(headers[0]).toMatchObject({ mode: 0o755, uid: 1000, gid: 1000 });
      expect(headers[1]?.linkname).toBe(longTarget);
      expect(bodies.get(longName)).toBe('hello');
    }
  });

  it('reads GNU long names, base-256 sizes, ustar prefixes and old-style type flags', () => {
    const longName = `${'gnu/'.repeat(40)}name`;
    const tar = Buffer.concat([
      rawHeader({ name: '././@LongLink', typeflag: 'L', size: longName.length + 1, magic: 'gnu' }),
      body(`${longName}\0`),
      rawHeader({ name: 'ignored', typeflag: '0', size: 3, magic: 'gnu', base256Size: true }),
      body('abc'),
      rawHeader({ name: 'file', typeflag: '0', prefix: 'some/prefix' }),
      rawHeader({ name: 'old-dir/', typeflag: '\0' }),
      rawHeader({ name: 'old-file', typeflag: '\0' }),
      rawHeader({ name: 'hard', typeflag: '1', linkname: 'some/prefix/file', size: 999 }),
      END,
    ]);
    const { headers, bodies } = parse(tar, 13);
    expect(headers.map((h) => [h.name, h.kind, h.size])).toEqual([
      [longName, 'file', 3],
      ['some/prefix/file', 'file', 0],
      ['old-dir/', 'directory', 0],
      ['old-file', 'file', 0],
      // Go's reader (and Docker) skip no body for header-only types, whatever the size field says.
      ['hard', 'hardlink', 999],
    ]);
    expect(bodies.get(longName)).toBe('abc');
    expect(headers[4]?.linkname).toBe('some/prefix/file');
  });

  it('stops at the end-of-archive marker and ignores what follows', () => {
    const tar = Buffer.concat([rawHeader({ name: 'a', typeflag: '0' }), END, Buffer.from('trailing garbage')]);
    expect(parse(tar).headers.map((h) => h.name)).toEqual(['a']);
  });

  it('rejects a damaged header and a truncated archive', () => {
    const bad = rawHeader({ name: 'a', typeflag: '0' });
    bad[0] = 0x62;
    expect(() => parse(bad)).toThrow('invalid tar header checksum');
    const truncated = Buffer.concat([rawHeader({ name: 'a', typeflag: '0', size: 1000 }), Buffer.alloc(100)]);
    expect(() => parse(truncated)).toThrow('truncated');
  });

  it('takes checksums summed over signed bytes, as some old writers made them, and checks every byte', () => {
    // "café" in UTF-8 has two bytes above 127: a signed sum is 512 less than the unsigned one.
    const header = rawHeader({ name: 'café', typeflag: '0' });
    let signed = 0;
    for (const [i, byte] of header.entries()) signed += i >= 148 && i < 156 ? 0x20 : byte >= 0x80 ? byte - 256 : byte;
    header.write(`${signed.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    for (const chunk of [1, 5, 512]) expect(parse(Buffer.concat([header, END]), chunk).headers[0]?.name).toBe('café');
    // A change anywhere outside the checksum field is noticed, in any of the header's four-byte words.
    for (const at of [0, 1, 2, 3, 147, 156, 157, 258, 511]) {
      const changed = Buffer.from(header);
      changed[at] = (changed[at] as number) ^ 0x01;
      expect(() => parse(changed), `byte ${at}`).toThrow('invalid tar header checksum');
    }
  });
});
