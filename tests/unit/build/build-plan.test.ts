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

const tar = { contextTransfer: 'tar' as const };
const refused = { contextTransfer: 'tar' as const, sessionRefusal: 'page not found' };

describe('planBuild: one rule for the builder and the ignore file', () => {
  describe('BuildKit through a session (Docker Engine from API 1.39): the Dockerfile travels on its own', () => {
    it('keeps BuildKit and its rules when Dockerfile.dockerignore excludes the Dockerfile, forcing nothing in', async () => {
      const dir = await tempTree(specificRules);
      const plan = await planBuild({ contextDir: dir, requested: 'auto', engine: docker });
      expect(plan).toMatchObject({ builder: 'buildkit', transfer: 'session', files: { forcedPatterns: [] } });
      expect(plan.files.ignoreFile?.kind).toBe('dockerfile-specific');
      expect(plan.files.matcher.matches('secret.txt')).toBe(true);
      expect(plan.files.matcher.matches('Dockerfile')).toBe(true);
      expect(plan.note).toBe(
        'BuildKit takes the context through a session: the Dockerfile travels on its own, not in the context. Dockerfile.dockerignore excludes Dockerfile, so COPY cannot see it. After the first build of this folder, only the files that changed are sent.',
      );
    });

    it('auto stays on BuildKit when .dockerignore excludes the Dockerfile and itself: nothing needs forcing in', async () => {
      const dir = await tempTree({
        Dockerfile: 'FROM scratch\n',
        '.dockerignore': 'Dockerfile\n.dockerignore\nsecret.txt\n',
        'secret.txt': 's',
      });
      const plan = await planBuild({ contextDir: dir, requested: 'auto', engine: docker });
      expect(plan).toMatchObject({ builder: 'buildkit', transfer: 'session', files: { forcedPatterns: [] } });
      expect(plan.note).toMatch(/\.dockerignore excludes Dockerfile and \.dockerignore, so COPY cannot see them\./);
      expect(plan.note).not.toMatch(/Warning|engine API/);
    });

    it('says only how the context goes when no build file is excluded', async () => {
      const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'secret.txt\n', 'secret.txt': 's' });
      const plan = await planBuild({ contextDir: dir, requested: 'buildkit', engine: docker });
      expect(plan).toMatchObject({ builder: 'buildkit', transfer: 'session', files: { forcedPatterns: [] } });
      expect(plan.note).toBe(
        'BuildKit takes the context through a session: the Dockerfile travels on its own, not in the context. After the first build of this folder, only the files that changed are sent.',
      );
      // How the context goes is information: no screen may draw it as a warning or an error.
      expect(plan.noteTone).toBe('info');
    });

    it("plans a session while no engine is connected (Docker's default), and a tar for an engine older than 1.39", async () => {
      const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'Dockerfile\n' });
      expect(await planBuild({ contextDir: dir, requested: 'buildkit', engine: undefined })).toMatchObject({
        transfer: 'session',
        files: { forcedPatterns: [] },
      });
      const old = await planBuild({
        contextDir: dir,
        requested: 'buildkit',
        engine: { product: 'Docker Engine', apiVersion: '1.38' },
      });
      expect(old).toMatchObject({ transfer: 'tar', files: { forcedPatterns: ['!Dockerfile'] } });
      expect(old.note).toMatch(/this engine takes no BuildKit session, so the context goes as a tar/);
    });
  });

  describe('BuildKit taking a tar (the engine refused a session): excluded build files must be in it', () => {
    it('auto keeps BuildKit when the rules come from Dockerfile.dockerignore (the classic builder would ignore them)', async () => {
      const dir = await tempTree(specificRules);
      const plan = await planBuild({ contextDir: dir, requested: 'auto', engine: docker, ...refused });
      expect(plan).toMatchObject({ builder: 'buildkit', transfer: 'tar' });
      expect(plan.files.ignoreFile?.kind).toBe('dockerfile-specific');
      expect(plan.files.matcher.matches('secret.txt')).toBe(true);
      expect(plan.files.forcedPatterns).toEqual(['!Dockerfile']);
      expect(plan.note).toMatch(
        /^Warning: Dockerfile\.dockerignore excludes Dockerfile, but BuildKit \(the engine refused a BuildKit session \(page not found\), so the context goes as a tar\) needs it/,
      );
      expect(plan.note).toMatch(/classic builder is no way out: it does not read Dockerfile\.dockerignore/);
      expect(plan.noteTone).toBe('warning');
    });

    it('auto switches to the classic builder when .dockerignore excludes the Dockerfile, naming .dockerignore', async () => {
      const dir = await tempTree({
        Dockerfile: 'FROM scratch\n',
        '.dockerignore': 'Dockerfile\nsecret.txt\n',
        'secret.txt': 's',
      });
      const plan = await planBuild({ contextDir: dir, requested: 'auto', engine: docker, ...tar });
      expect(plan).toMatchObject({ builder: 'classic', transfer: 'tar', files: { builder: 'classic' } });
      expect(plan.files.matcher.matches('secret.txt')).toBe(true);
      expect(plan.note).toMatch(/^Using the classic builder: \.dockerignore excludes Dockerfile/);
      expect(plan.noteTone).toBe('info');
    });

    it('with nothing forced stays on BuildKit, saying why the whole context goes when a session was refused', async () => {
      const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'secret.txt\n', 'secret.txt': 's' });
      const plan = await planBuild({ contextDir: dir, requested: 'auto', engine: docker, ...tar });
      expect(plan).toMatchObject({ builder: 'buildkit', transfer: 'tar', files: { forcedPatterns: [] } });
      expect(plan.note).toBeUndefined();
      const after = await planBuild({ contextDir: dir, requested: 'auto', engine: docker, ...refused });
      expect(after.note).toBe(
        'BuildKit: the engine refused a BuildKit session (page not found), so the context goes as a tar, whole at every build.',
      );
    });

    it('explicit BuildKit with .dockerignore excluding the Dockerfile is kept, with a warning naming the file', async () => {
      const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'Dockerfile\n' });
      const plan = await planBuild({ contextDir: dir, requested: 'buildkit', engine: docker, ...tar });
      expect(plan).toMatchObject({ builder: 'buildkit', transfer: 'tar', files: { forcedPatterns: ['!Dockerfile'] } });
      expect(plan.note).toMatch(
        /^Warning: \.dockerignore excludes Dockerfile, .*Choose Automatic or the classic builder/,
      );
    });
  });

  it('auto plans for BuildKit while no engine is connected, and for the classic builder on Podman', async () => {
    const dir = await tempTree(specificRules);
    expect((await planBuild({ contextDir: dir, requested: 'auto', engine: undefined })).builder).toBe('buildkit');
    const onPodman = await planBuild({ contextDir: dir, requested: 'auto', engine: podman });
    // Podman's classic endpoint is Buildah, which reads Dockerfile.dockerignore itself (build-plan-podman.test.ts).
    expect(onPodman).toMatchObject({ builder: 'classic', transfer: 'tar' });
    expect(onPodman.files.ignoreFile?.kind).toBe('dockerfile-specific');
    expect(onPodman.note).toBeUndefined();
  });

  it('explicit classic reads only .dockerignore (as docker does) and says Dockerfile.dockerignore is not applied', async () => {
    const dir = await tempTree(specificRules);
    const plan = await planBuild({ contextDir: dir, requested: 'classic', engine: docker });
    expect(plan).toMatchObject({ builder: 'classic', transfer: 'tar' });
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
});
