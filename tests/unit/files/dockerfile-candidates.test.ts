import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findDockerfiles, isDockerfileName } from '../../../src-main/core/files/dockerfile-candidates';

describe('Dockerfile candidates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-candidates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('knows the conventional names and not the ignore files', () => {
    for (const name of [
      'Dockerfile',
      'dockerfile',
      'Containerfile',
      'prod.Dockerfile',
      'Dockerfile.dev',
      'api.containerfile',
      'Containerfile.arm64',
    ]) {
      expect(isDockerfileName(name), name).toBe(true);
    }
    for (const name of [
      'Dockerfile.dockerignore',
      '.dockerignore',
      'Containerfile.containerignore',
      'docker-compose.yml',
      'Dockerfiles',
      'README.md',
      '.Dockerfile',
    ]) {
      expect(isDockerfileName(name), name).toBe(false);
    }
  });

  it('lists the ones at the top of a context, the default first', async () => {
    for (const name of [
      'web.Dockerfile',
      'Containerfile',
      'Dockerfile.dev',
      'Dockerfile',
      'Dockerfile.dockerignore',
      'app.js',
    ])
      writeFileSync(join(dir, name), 'x');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'Dockerfile'), 'x');
    mkdirSync(join(dir, 'Dockerfile.d'));
    symlinkSync('Dockerfile', join(dir, 'Dockerfile.link'));
    expect(await findDockerfiles(dir)).toEqual([
      'Dockerfile',
      'Containerfile',
      'Dockerfile.dev',
      'Dockerfile.link',
      'web.Dockerfile',
    ]);
  });
});
