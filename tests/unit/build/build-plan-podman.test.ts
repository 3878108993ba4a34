import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { planBuild } from '../../../src-main/core/build/build-plan';
import { scanBuildFiles } from '../../../src-main/core/context/context-scan';
import { removeTrees, tempTree, type TreeNode } from '../context/temp-tree';

afterEach(removeTrees);

const podman = { product: 'Podman', apiVersion: '1.41' };
const DOCKERFILE = 'FROM scratch\nCOPY . /ctx/\n';

/** The ignore file Buildah uses and what it leaves out, for a context on Podman. */
async function onPodman(tree: Record<string, TreeNode>, dockerfile?: string) {
  const dir = await tempTree(tree);
  const plan = await planBuild({
    contextDir: dir,
    requested: 'auto',
    engine: podman,
    ...(dockerfile ? { dockerfile } : {}),
  });
  const scan = await scanBuildFiles(plan.files);
  const forced = new Set(plan.files.forcedPatterns.map((p) => p.slice(1)));
  return {
    plan,
    rules: plan.files.ignoreFile ? path.relative(dir, plan.files.ignoreFile.path) : null,
    sent: scan.entries.filter((e) => e.type === 'file').map((e) => e.path),
    // What COPY . sees: Buildah applies the same rules, so the files forced in for it to read drop out again.
    copied: scan.entries.filter((e) => e.type === 'file' && !forced.has(e.path)).map((e) => e.path),
  };
}

/**
 * Each case is one measured on Podman 4.3.1's compatibility API (a tar of every file, built with
 * `COPY . /ctx/` and listed with `find`): which ignore file Buildah applied.
 */
describe('planBuild on Podman: the ignore file Buildah reads, first found wins', () => {
  it('.dockerignore alone: its rules, and the Dockerfile it excludes is sent for Buildah but not copied', async () => {
    const r = await onPodman({
      Dockerfile: DOCKERFILE,
      '.dockerignore': 'Dockerfile\nsecret.txt\n',
      'secret.txt': 's',
      'app.txt': 'a',
    });
    expect(r.plan.builder).toBe('classic');
    expect(r.plan.files.ignoreReader).toBe('buildah');
    expect(r.rules).toBe('.dockerignore');
    expect(r.sent.sort()).toEqual(['.dockerignore', 'Dockerfile', 'app.txt']);
    expect(r.copied.sort()).toEqual(['.dockerignore', 'app.txt']);
    expect(r.plan.note).toBeUndefined();
  });

  it('Dockerfile.dockerignore before .dockerignore, even when empty', async () => {
    const tree = { Dockerfile: DOCKERFILE, '.dockerignore': 'app.txt\n', 'secret.txt': 's', 'app.txt': 'a' };
    const r = await onPodman({ ...tree, 'Dockerfile.dockerignore': 'secret.txt\n' });
    expect(r.rules).toBe('Dockerfile.dockerignore');
    expect(r.copied.sort()).toEqual(['.dockerignore', 'Dockerfile', 'Dockerfile.dockerignore', 'app.txt']);
    const empty = await onPodman({ ...tree, 'Dockerfile.dockerignore': '' });
    expect(empty.rules).toBe('Dockerfile.dockerignore');
    expect(empty.copied).toContain('secret.txt');
    expect(empty.copied).toContain('app.txt');
  });

  it('Dockerfile.dockerignore before Dockerfile.containerignore', async () => {
    const r = await onPodman({
      Dockerfile: DOCKERFILE,
      'Dockerfile.containerignore': 'secret.txt\n',
      'Dockerfile.dockerignore': 'app.txt\n',
      'secret.txt': 's',
      'app.txt': 'a',
    });
    expect(r.rules).toBe('Dockerfile.dockerignore');
    expect(r.copied.sort()).toEqual([
      'Dockerfile',
      'Dockerfile.containerignore',
      'Dockerfile.dockerignore',
      'secret.txt',
    ]);
  });

  it('Dockerfile.containerignore before .dockerignore, saying that .dockerignore is not applied', async () => {
    const r = await onPodman({
      Dockerfile: DOCKERFILE,
      'Dockerfile.containerignore': 'secret.txt\n',
      '.dockerignore': 'app.txt\n',
      'secret.txt': 's',
      'app.txt': 'a',
    });
    expect(r.rules).toBe('Dockerfile.containerignore');
    expect(r.copied).toContain('app.txt');
    expect(r.copied).not.toContain('secret.txt');
    expect(r.plan.note).toBe(
      'Podman builds with Buildah, which reads Dockerfile.containerignore before .dockerignore: the rules in .dockerignore are not applied.',
    );
  });

  it('.containerignore before .dockerignore; alone it applies too', async () => {
    const both = await onPodman({
      Dockerfile: DOCKERFILE,
      '.containerignore': 'secret.txt\n',
      '.dockerignore': 'app.txt\n',
      'secret.txt': 's',
      'app.txt': 'a',
    });
    expect(both.rules).toBe('.containerignore');
    expect(both.copied.sort()).toEqual(['.containerignore', '.dockerignore', 'Dockerfile', 'app.txt']);
    expect(both.plan.note).toMatch(/reads \.containerignore before \.dockerignore/);
    const alone = await onPodman({ Dockerfile: DOCKERFILE, '.containerignore': 'secret.txt\n', 'secret.txt': 's' });
    expect(alone.rules).toBe('.containerignore');
    expect(alone.copied.sort()).toEqual(['.containerignore', 'Dockerfile']);
    expect(alone.plan.note).toBeUndefined();
  });

  it('a Dockerfile in a subfolder: its own ignore file beside it, forced in when a rule excludes it', async () => {
    const r = await onPodman(
      {
        'sub/My.Dockerfile': DOCKERFILE,
        'sub/My.Dockerfile.dockerignore': 'secret.txt\nsub\n',
        '.dockerignore': 'app.txt\n',
        'secret.txt': 's',
        'app.txt': 'a',
      },
      'sub/My.Dockerfile',
    );
    expect(r.rules).toBe('sub/My.Dockerfile.dockerignore');
    expect(r.plan.files.forcedPatterns).toEqual(['!sub/My.Dockerfile', '!sub/My.Dockerfile.dockerignore']);
    expect(r.sent.sort()).toEqual(['.dockerignore', 'app.txt', 'sub/My.Dockerfile', 'sub/My.Dockerfile.dockerignore']);
    expect(r.copied.sort()).toEqual(['.dockerignore', 'app.txt']);
  });

  it('a Dockerfile outside the context: only the context ignore files, and its name goes into the one Buildah reads', async () => {
    const outside = await tempTree({ 'Other.Dockerfile': DOCKERFILE, 'Other.Dockerfile.dockerignore': 'app.txt\n' });
    const r = await onPodman(
      { '.containerignore': 'secret.txt\n', '.dockerignore': '', 'secret.txt': 's', 'app.txt': 'a' },
      path.join(outside, 'Other.Dockerfile'),
    );
    expect(r.rules).toBe('.containerignore');
    const dockerfileEntry = r.sent.find((p) => p.startsWith('.dockerfile.'));
    expect(dockerfileEntry).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const scan = await scanBuildFiles(r.plan.files);
    const ignore = scan.entries.find((e) => e.path === '.containerignore');
    expect(ignore?.content?.toString()).toMatch(/^secret\.txt\n\n\.dockerfile\.[0-9a-f]{20}\n$/);
  });

  it('BuildKit asked for on Podman is planned with the refusal build.start gives as its note', async () => {
    const dir = await tempTree({ Dockerfile: DOCKERFILE });
    const plan = await planBuild({ contextDir: dir, requested: 'buildkit', engine: podman });
    expect(plan.builder).toBe('buildkit');
    expect(plan.note).toMatch(/^Podman has no BuildKit: it builds with Buildah/);
  });
});
