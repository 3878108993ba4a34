import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StrataError } from '$shared/engine/errors';
import { sha256Hex } from '../../../src-main/core/files/file-version';
import { decodeText, encodeText, readTextFile, saveTextFile } from '../../../src-main/core/files/text-file';
import { tempDirEachTest } from './temp-dir';

const dir = tempDirEachTest('strata-files-');

async function failure(promise: Promise<unknown>): Promise<StrataError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StrataError);
  return err as StrataError;
}

describe('readTextFile', () => {
  it('reads text with its version, line endings and BOM', async () => {
    const file = join(dir(), 'Dockerfile');
    writeFileSync(file, '\uFEFFFROM scratch\r\nCOPY a /a\r\n');
    const read = await readTextFile({ path: file });
    expect(read).toMatchObject({ path: file, text: 'FROM scratch\nCOPY a /a\n', eol: 'crlf', bom: true });
    expect(read.version.sha256).toBe(sha256Hex(readFileSync(file)));
    expect(read.version.size).toBe(statSync(file).size);
  });

  it('refuses what is not a small text file, saying why', async () => {
    writeFileSync(join(dir(), 'bin'), Buffer.from([0x46, 0x00, 0x41]));
    writeFileSync(join(dir(), 'big'), Buffer.alloc(2048, 0x41));
    expect((await failure(readTextFile({ path: join(dir(), 'missing') }))).code).toBe('not-found');
    expect((await failure(readTextFile({ path: dir() }))).message).toContain('is a folder');
    expect((await failure(readTextFile({ path: join(dir(), 'bin') }))).message).toContain('binary');
    expect((await failure(readTextFile({ path: join(dir(), 'big'), maxBytes: 1024 }))).message).toContain('too large');
    expect((await failure(readTextFile({ path: 'relative/Dockerfile' }))).code).toBe('invalid-input');
  });
});

describe('saveTextFile', () => {
  it('writes atomically over the loaded version, keeping mode, line endings and BOM, and leaves no temp file', async () => {
    const file = join(dir(), 'Dockerfile');
    writeFileSync(file, '\uFEFFFROM a\r\n');
    chmodSync(file, 0o640);
    const loaded = await readTextFile({ path: file });
    const saved = await saveTextFile({
      path: file,
      text: 'FROM b\nRUN x\n',
      eol: loaded.eol,
      bom: loaded.bom,
      expectedSha256: loaded.version.sha256,
    });
    expect(readFileSync(file, 'utf8')).toBe('\uFEFFFROM b\r\nRUN x\r\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(saved.version.sha256).toBe(sha256Hex(readFileSync(file)));
    expect(readdirSync(dir())).toEqual(['Dockerfile']);
  });

  it('creates a new file only where none exists', async () => {
    const file = join(dir(), 'new.Dockerfile');
    await saveTextFile({ path: file, text: 'FROM scratch\n', expectedSha256: null });
    expect(readFileSync(file, 'utf8')).toBe('FROM scratch\n');
    const exists = await failure(saveTextFile({ path: file, text: 'FROM other\n', expectedSha256: null }));
    expect(exists.code).toBe('conflict');
    expect(exists.details).toMatchObject({ reason: 'exists', path: file, diskSha256: sha256Hex('FROM scratch\n') });
    expect(readFileSync(file, 'utf8')).toBe('FROM scratch\n');
  });

  it('refuses to overwrite a file changed on disk since it was loaded, unless told to', async () => {
    const file = join(dir(), 'Dockerfile');
    writeFileSync(file, 'FROM a\n');
    const loaded = await readTextFile({ path: file });
    writeFileSync(file, 'FROM changed-elsewhere\n');
    const conflict = await failure(
      saveTextFile({ path: file, text: 'FROM mine\n', expectedSha256: loaded.version.sha256 }),
    );
    expect(conflict.code).toBe('conflict');
    expect(conflict.details).toMatchObject({ reason: 'changed', diskSha256: sha256Hex('FROM changed-elsewhere\n') });
    expect(readFileSync(file, 'utf8')).toBe('FROM changed-elsewhere\n');

    await saveTextFile({ path: file, text: 'FROM mine\n', expectedSha256: loaded.version.sha256, overwrite: true });
    expect(readFileSync(file, 'utf8')).toBe('FROM mine\n');
  });

  it('does not count a touch that leaves the content alone as a change', async () => {
    const file = join(dir(), 'Dockerfile');
    writeFileSync(file, 'FROM a\n');
    const loaded = await readTextFile({ path: file });
    writeFileSync(file, 'FROM a\n');
    await saveTextFile({ path: file, text: 'FROM b\n', expectedSha256: loaded.version.sha256 });
    expect(readFileSync(file, 'utf8')).toBe('FROM b\n');
  });

  it('reports a file deleted since it was loaded, and recreates it when told to', async () => {
    const file = join(dir(), 'Dockerfile');
    writeFileSync(file, 'FROM a\n');
    const loaded = await readTextFile({ path: file });
    rmSync(file);
    const conflict = await failure(
      saveTextFile({ path: file, text: 'FROM b\n', expectedSha256: loaded.version.sha256 }),
    );
    expect(conflict.details).toMatchObject({ reason: 'deleted', diskSha256: null });
    await saveTextFile({ path: file, text: 'FROM b\n', expectedSha256: loaded.version.sha256, overwrite: true });
    expect(readFileSync(file, 'utf8')).toBe('FROM b\n');
  });

  it('saves through a symlink into the file it points to, keeping the link', async () => {
    mkdirSync(join(dir(), 'real'));
    const target = join(dir(), 'real', 'Dockerfile');
    writeFileSync(target, 'FROM a\n');
    const link = join(dir(), 'Dockerfile');
    symlinkSync(join('real', 'Dockerfile'), link);
    const loaded = await readTextFile({ path: link });
    await saveTextFile({ path: link, text: 'FROM b\n', expectedSha256: loaded.version.sha256 });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join('real', 'Dockerfile'));
    expect(readFileSync(target, 'utf8')).toBe('FROM b\n');
    expect(readdirSync(join(dir(), 'real'))).toEqual(['Dockerfile']);
  });

  it('fails cleanly where it cannot write, leaving nothing behind', async () => {
    const missing = await failure(
      saveTextFile({ path: join(dir(), 'no-such-dir()', 'Dockerfile'), text: 'x', expectedSha256: null }),
    );
    expect(missing.code).toBe('not-found');
    const folder = await failure(saveTextFile({ path: dir(), text: 'x', expectedSha256: null, overwrite: true }));
    expect(folder.code).toBe('invalid-input');
    expect(readdirSync(dir())).toEqual([]);
  });
});

describe('line endings', () => {
  it('round-trips CRLF and a BOM through the editor form', () => {
    const bytes = Buffer.from('\uFEFFa\r\nb\r\n', 'utf8');
    const decoded = decodeText(bytes);
    expect(decoded).toEqual({ text: 'a\nb\n', eol: 'crlf', bom: true });
    expect(encodeText(decoded.text, decoded).equals(bytes)).toBe(true);
    expect(encodeText('a\r\nb\n', { eol: 'lf' }).toString()).toBe('a\nb\n');
  });
});
