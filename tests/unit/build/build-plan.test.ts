import { afterEach, describe, expect, it } from 'vitest';
import { planBuild } from '../../../src-main/core/build/build-plan';
import { removeTrees, tempTree } from '../context/temp-tree';

afterEach(removeTrees);

const docker = { product: 'Docker Engine', apiVersion: '1.41' };
const podman = { product: 'Podman', apiVersion: '1.41' };

/** The context: the rules live in Dockerfile.dockerignore and .dockerignore is empty. */
const specificRules = {
  Dockerfile: 'FROM scratch\nCOPY . /\n',
  'Dockerfile.dockerignore': 'Dockerfile\nsecret.txt\n',
  '.dockerignore': '',
  'secret.txt': 's',
};

describe('planBuild: one rule for the builder and the ignore file', () => {
  it('auto keeps BuildKit when the rules come from Dockerfile.dockerignore (the classic builder would ignore them)', async () => {
    const dir = await tempTree(specificRules);
    const plan = await planBuild({ contextDir: dir, requested: 'auto', engine: docker });
    expect(plan.builder).toBe('buildkit');
    expect(plan.files.ignoreFile?.kind).toBe('dockerfile-specific');
    expect(plan.files.matcher.matches('secret.txt')).toBe(true);
    expect(plan.files.forcedPatterns).toEqual(['!Dockerfile']);
    expect(plan.note).toMatch(/^Warning: Dockerfile\.dockerignore excludes Dockerfile,/);
    expect(plan.note).toMatch(/classic builder is no way out: it does not read Dockerfile\.dockerignore/);
  });

  it('auto switches to the classic builder when .dockerignore excludes the Dockerfile, naming .dockerignore', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'Dockerfile\nsecret.txt\n',
      'secret.txt': 's',
    });
    const plan = await planBuild({ contextDir: dir, requested: 'auto', engine: docker });
    expect(plan.builder).toBe('classic');
    expect(plan.files.builder).toBe('classic');
    expect(plan.files.matcher.matches('secret.txt')).toBe(true);
    expect(plan.note).toMatch(/^Using the classic builder: \.dockerignore excludes Dockerfile/);
  });

  it('auto with nothing forced stays on BuildKit without a note', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'secret.txt\n', 'secret.txt': 's' });
    const plan = await planBuild({ contextDir: dir, requested: 'auto', engine: docker });
    expect(plan).toMatchObject({ builder: 'buildkit', files: { builder: 'buildkit', forcedPatterns: [] } });
    expect(plan.note).toBeUndefined();
  });

  it('auto plans for BuildKit while no engine is connected, and for the classic builder on Podman', async () => {
    const dir = await tempTree(specificRules);
    expect((await planBuild({ contextDir: dir, requested: 'auto', engine: undefined })).builder).toBe('buildkit');
    const onPodman = await planBuild({ contextDir: dir, requested: 'auto', engine: podman });
    // Podman's classic endpoint is Buildah, which reads Dockerfile.dockerignore itself (build-plan-podman.test.ts).
    expect(onPodman.builder).toBe('classic');
    expect(onPodman.files.ignoreFile?.kind).toBe('dockerfile-specific');
    expect(onPodman.note).toBeUndefined();
  });

  it('explicit classic reads only .dockerignore (as docker does) and says Dockerfile.dockerignore is not applied', async () => {
    const dir = await tempTree(specificRules);
    const plan = await planBuild({ contextDir: dir, requested: 'classic', engine: docker });
    expect(plan.builder).toBe('classic');
    expect(plan.files.matcher.matches('secret.txt')).toBe(false);
    expect(plan.note).toMatch(/classic builder does not read Dockerfile\.dockerignore/);
  });

  it('explicit classic is not stopped by a bad Dockerfile.dockerignore it never reads', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', 'Dockerfile.dockerignore': '[oops\n' });
    await expect(planBuild({ contextDir: dir, requested: 'classic', engine: docker })).resolves.toMatchObject({
      builder: 'classic',
    });
    await expect(planBuild({ contextDir: dir, requested: 'buildkit', engine: docker })).rejects.toThrow(/oops/);
  });

  it('explicit BuildKit with .dockerignore excluding the Dockerfile is kept, with a warning naming the file', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'Dockerfile\n' });
    const plan = await planBuild({ contextDir: dir, requested: 'buildkit', engine: docker });
    expect(plan.builder).toBe('buildkit');
    expect(plan.note).toMatch(
      /^Warning: \.dockerignore excludes Dockerfile, .*Choose Automatic or the classic builder/,
    );
  });
});
