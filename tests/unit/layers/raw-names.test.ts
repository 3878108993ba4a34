import { describe, expect, it } from 'vitest';
import { analyzeImage } from '../../../src-main/core/layers/image-analysis';
import { compareGoStrings } from '$shared/go/string-order';
import { decodeRawName, displayName, encodeRawName } from '$shared/layers/raw-name';
import { TarHeaderParser } from '../../../src-main/core/layers/tar-header-parser';
import type { TarHeader } from '../../../src-main/core/layers/tar-header-parser';
import { chunked, legacyArchive, ustarHeader as header } from './archive-helpers';

function file(name: Uint8Array, size: number): Buffer {
  return Buffer.concat([header(name, size), Buffer.alloc(Math.ceil(size / 512) * 512, 0x61)]);
}

function tarOf(...entries: Buffer[]): Buffer {
  return Buffer.concat([...entries, Buffer.alloc(1024)]);
}

function paxRecord(key: string, value: Buffer | string): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), Buffer.from(value), Buffer.from('\n')]);
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return Buffer.concat([Buffer.from(String(length)), body]);
}

function headers(tar: Buffer): TarHeader[] {
  const seen: TarHeader[] = [];
  const parser = new TarHeaderParser({ onEntry: (h) => void seen.push(h) });
  parser.push(tar);
  parser.end();
  return seen;
}

const A_FF = Uint8Array.from([0x61, 0xff]);
const A_FE = Uint8Array.from([0x61, 0xfe]);

describe('names are bytes, as Go compares them', () => {
  it('two files whose names differ only in bytes that are not UTF-8 are two files (as dive: 1.0, 0 wasted)', async () => {
    const layers = [tarOf(file(A_FF, 100)), tarOf(file(A_FE, 200))];
    const { analysis } = await analyzeImage(chunked(await legacyArchive(layers, ['one', 'two']), 4096));
    expect(analysis.efficiency).toBe(1);
    expect(analysis.wastedBytes).toBe(0);
    expect(analysis.inefficientFiles).toEqual([]);
    expect(analysis.fileCount).toBe(2);
  });

  it('the same bytes in two layers are one path, wasted as dive counts it', async () => {
    const layers = [tarOf(file(A_FF, 100)), tarOf(file(A_FF, 200))];
    const { analysis } = await analyzeImage(chunked(await legacyArchive(layers, ['one', 'two']), 4096));
    expect(analysis.wastedBytes).toBe(300);
    expect(analysis.inefficientFiles.map((f) => displayName(f.path))).toEqual(['/a\ufffd']);
  });

  it('reads names from ustar, GNU long names and PAX paths as bytes', () => {
    const long = Buffer.concat([Buffer.from('x'.repeat(120)), Buffer.from([0xc3])]);
    const tar = tarOf(
      file(A_FF, 0),
      header(Buffer.from('././@LongLink'), long.length + 1, 'L', Buffer.concat([long, Buffer.from([0])])),
      file(Buffer.from('ignored'), 0),
      header(
        Buffer.from('PaxHeaders/x'),
        paxRecord('path', Buffer.from(A_FE)).length,
        'x',
        paxRecord('path', Buffer.from(A_FE)),
      ),
      file(Buffer.from('ignored'), 0),
    );
    const names = headers(tar).map((h) => h.name);
    expect(names.map((name) => Buffer.from(encodeRawName(name)).toString('hex'))).toEqual([
      '61ff',
      Buffer.from(long).toString('hex'),
      '61fe',
    ]);
    expect(new Set(names).size).toBe(3);
  });

  it('keeps UTF-8 names as text, and decoding is one-to-one with the bytes', () => {
    const samples = [
      Buffer.from('café/日本語/💀'),
      A_FF,
      A_FE,
      Uint8Array.from([0xc3]),
      Uint8Array.from([0xc3, 0x28]),
      Uint8Array.from([0xed, 0xa0, 0x80]),
      Uint8Array.from([0xf0, 0x9f, 0x92]),
      Uint8Array.from([0xf0, 0x9f, 0x92, 0x80]),
    ];
    expect(decodeRawName(samples[0] as Uint8Array)).toBe('café/日本語/💀');
    const decoded = samples.map((bytes) => decodeRawName(bytes));
    expect(new Set(decoded).size).toBe(samples.length);
    for (const [i, bytes] of samples.entries())
      expect(Buffer.from(encodeRawName(decoded[i] as string))).toEqual(Buffer.from(bytes));
    // A real astral character's low half is not mistaken for an escaped byte.
    expect(displayName('💀')).toBe('💀');
  });

  it('orders names by their bytes, as Go sorts strings', () => {
    const byteStrings = [
      [0x61],
      [0x61, 0x7f],
      [0x61, 0x80],
      [0x61, 0xc3],
      [0x61, 0xc3, 0xa9],
      [0x61, 0xc3, 0xff],
      [0x61, 0xee, 0x80, 0x80],
      [0x61, 0xf0, 0x9f, 0x92, 0x80],
      [0x61, 0xfe],
      [0x61, 0xff],
    ].map((bytes) => Uint8Array.from(bytes));
    const names = byteStrings.map((bytes) => decodeRawName(bytes));
    const shuffled = [...names].reverse();
    shuffled.sort(compareGoStrings);
    expect(shuffled).toEqual(names);
  });
});

describe('tar sizes Go refuses', () => {
  it('a negative PAX size is an invalid header, not a "-5B" layer', () => {
    const pax = paxRecord('size', '-5');
    const tar = tarOf(header(Buffer.from('PaxHeaders/x'), pax.length, 'x', pax), file(Buffer.from('f'), 0));
    expect(() => headers(tar)).toThrow('invalid tar header: f has size -5');
  });

  it('a PAX size that is not a number is an invalid header', () => {
    const pax = paxRecord('size', '12abc');
    const tar = tarOf(header(Buffer.from('PaxHeaders/x'), pax.length, 'x', pax), file(Buffer.from('f'), 0));
    expect(() => headers(tar)).toThrow('invalid tar header');
  });

  it('a negative size on a folder is ignored, as Go ignores the size of header-only entries', () => {
    const pax = paxRecord('size', '-5');
    const tar = tarOf(header(Buffer.from('PaxHeaders/x'), pax.length, 'x', pax), header(Buffer.from('d/'), 0, '5'));
    expect(headers(tar).map((h) => h.name)).toEqual(['d/']);
  });
});
