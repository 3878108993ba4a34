import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src-main/core/files/atomic-write';
import { writeDataFile } from '../../../src-main/core/settings/json-file';
import { tempDirEachTest } from './temp-dir';

const dir = tempDirEachTest('strata-atomic-');

describe('writeFileAtomic', () => {
  it('replaces a file, keeps its mode, and leaves no temp file behind', async () => {
    const file = join(dir(), 'Dockerfile');
    writeFileSync(file, 'FROM old\n');
    chmodSync(file, 0o640);
    await writeFileAtomic({ path: file, data: 'FROM new\n' });
    expect(readFileSync(file, 'utf8')).toBe('FROM new\n');
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    expect(readdirSync(dir())).toEqual(['Dockerfile']);
  });

  it('writes through a symlink to its target, so the link stays a link', async () => {
    const target = join(dir(), 'real');
    writeFileSync(target, 'a');
    symlinkSync(target, join(dir(), 'link'));
    await writeFileAtomic({ path: join(dir(), 'link'), data: 'b' });
    expect(lstatSync(join(dir(), 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('b');
  });

  it('refuses a missing folder unless asked to create it', async () => {
    await expect(writeFileAtomic({ path: join(dir(), 'no', 'file'), data: 'x' })).rejects.toMatchObject({
      code: 'ENOENT',
    });
    await writeFileAtomic({ path: join(dir(), 'no', 'file'), data: 'x', createFolder: true });
    expect(readFileSync(join(dir(), 'no', 'file'), 'utf8')).toBe('x');
  });
});

describe('writeDataFile', () => {
  it('creates the data folder on first use and a new file readable by this user only', async () => {
    const file = join(dir(), 'data', 'settings.json');
    await writeDataFile(file, '{}');
    expect(readFileSync(file, 'utf8')).toBe('{}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
