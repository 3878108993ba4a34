import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readDockerfileInfo } from '../../../src-main/core/build/dockerfile-info';
import { scanContext } from '../../../src-main/core/context/context-scan';
import { mkfifo } from './mkfifo';
import { removeTrees, tempTree } from './temp-tree';

afterEach(removeTrees);

/** Settles within a second or not at all: a read of a named pipe with no writer never returns. */
async function settlesSoon<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('still waiting after 5 s: the scan hangs')), 5000);
  });
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe('build files that are not regular files are refused, never read', () => {
  it.each(['classic', 'buildkit'] as const)('a named pipe as .dockerignore (%s)', async (builder) => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n' });
    mkfifo(path.join(dir, '.dockerignore'));
    await expect(settlesSoon(scanContext({ contextDir: dir, builder }))).rejects.toMatchObject({
      code: 'invalid-input',
      message: `The ignore file ${path.join(dir, '.dockerignore')} is a named pipe, not a regular file: it cannot be read.`,
    });
  });

  it('a named pipe as Dockerfile.dockerignore (BuildKit reads it)', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n' });
    mkfifo(path.join(dir, 'Dockerfile.dockerignore'));
    await expect(settlesSoon(scanContext({ contextDir: dir, builder: 'buildkit' }))).rejects.toThrow(
      /Dockerfile\.dockerignore is a named pipe, not a regular file/,
    );
  });

  it.each(['classic', 'buildkit'] as const)('a named pipe as the Dockerfile (%s)', async (builder) => {
    const dir = await tempTree({ app: 'x' });
    mkfifo(path.join(dir, 'Dockerfile'));
    await expect(settlesSoon(scanContext({ contextDir: dir, builder }))).rejects.toThrow(
      `The Dockerfile ${path.join(dir, 'Dockerfile')} is a named pipe, not a regular file: it cannot be read.`,
    );
  });

  it('a named pipe as the Dockerfile the build form reads for its stages and ARGs', async () => {
    const dir = await tempTree({ app: 'x' });
    mkfifo(path.join(dir, 'Dockerfile'));
    await expect(settlesSoon(readDockerfileInfo({ contextDir: dir }))).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/Dockerfile is a named pipe, not a regular file/),
    });
  });

  it('a folder named Dockerfile', async () => {
    const dir = await tempTree({ Dockerfile: { dir: true } });
    await expect(scanContext({ contextDir: dir })).rejects.toThrow(/Dockerfile .* is a directory, not a regular file/);
  });
});

describe('a Dockerfile that is a symlink', () => {
  it.each(['classic', 'buildkit'] as const)(
    'out of the context is refused, as docker build refuses it (%s)',
    async (builder) => {
      const outside = await tempTree({ 'Dockerfile.real': 'FROM scratch\nCOPY . /\n' });
      const dir = await tempTree({ Dockerfile: { symlink: path.join(outside, 'Dockerfile.real') }, app: 'x' });
      await expect(scanContext({ contextDir: dir, builder })).rejects.toMatchObject({
        code: 'invalid-input',
        message: expect.stringMatching(
          /^unable to open Dockerfile: .*Dockerfile is a symlink to .*Dockerfile\.real, outside the context/,
        ),
      });
    },
  );

  it('to a file inside the context is followed, as docker does', async () => {
    const dir = await tempTree({
      'docker/prod.Dockerfile': 'FROM scratch\n',
      Dockerfile: { symlink: 'docker/prod.Dockerfile' },
    });
    const scan = await scanContext({ contextDir: dir, builder: 'classic' });
    expect(scan.dockerfile.relPath).toBe('docker/prod.Dockerfile');
  });

  it('an absolute Dockerfile outside the context is still sent the classic way (as .dockerfile.<id>)', async () => {
    const outside = await tempTree({ 'Dockerfile.ci': 'FROM scratch\n' });
    const dir = await tempTree({ app: 'x' });
    const scan = await scanContext({
      contextDir: dir,
      dockerfile: path.join(outside, 'Dockerfile.ci'),
      builder: 'classic',
    });
    expect(scan.dockerfile).toMatchObject({ inContext: false, sent: true });
  });
});
