import { symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { createContextTar } from '../../../src-main/core/context/context-pack';
import { scanContext } from '../../../src-main/core/context/context-scan';
import { removeTrees, tempTree } from './temp-tree';

afterEach(removeTrees);

const latin1Name = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "caf" + é in Latin-1: not UTF-8

async function tarOf(dir: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of createContextTar(await scanContext({ contextDir: dir, builder: 'classic' })))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

it('scans a name that is not UTF-8, shows it decoded and keeps its bytes', async () => {
  const dir = await tempTree({ Dockerfile: 'FROM scratch\n' });
  writeFileSync(Buffer.concat([Buffer.from(dir + '/'), latin1Name]), 'x');
  symlinkSync(latin1Name, Buffer.concat([Buffer.from(dir + '/link')]));
  const scan = await scanContext({ contextDir: dir, builder: 'classic' });
  const file = scan.entries.find((e) => e.path === 'caf\uFFFD');
  expect(file).toMatchObject({ type: 'file', size: 1 });
  expect(file?.pathBytes).toEqual(latin1Name);
  expect(scan.entries.find((e) => e.path === 'link')).toMatchObject({
    linkname: 'caf\uFFFD',
    linknameBytes: latin1Name,
  });
  expect(scan.entries.find((e) => e.path === 'Dockerfile')?.pathBytes).toBeUndefined();
});

it('writes the raw bytes in a PAX path record (and linkpath), as Go archive/tar does, with an ASCII-only header name', async () => {
  const dir = await tempTree({ Dockerfile: 'FROM scratch\n' });
  writeFileSync(Buffer.concat([Buffer.from(dir + '/'), latin1Name]), 'x');
  symlinkSync(latin1Name, Buffer.concat([Buffer.from(dir + '/link')]));
  const tar = await tarOf(dir);
  expect(tar.includes(Buffer.concat([Buffer.from('13 path='), latin1Name, Buffer.from('\n')]))).toBe(true);
  expect(tar.includes(Buffer.concat([Buffer.from('17 linkpath='), latin1Name, Buffer.from('\n')]))).toBe(true);
  // The header after the PAX header carries toASCII(name): "caf".
  const at = tar.indexOf(Buffer.from('caf\0'));
  expect(at).toBeGreaterThan(0);
  expect(tar.length % 512).toBe(0);
});
