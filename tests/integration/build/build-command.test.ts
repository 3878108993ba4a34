import type Docker from 'dockerode';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runBuildCommand } from '../../../src-main/cli/build-command';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { removeImagesWithNonce } from './build-context';

const nonce = `nonce-${randomBytes(6).toString('hex')}`;

const DOCKERFILE = `FROM ${BUSYBOX}
RUN echo ${nonce} > /nonce
WORKDIR /app
COPY src ./src
RUN cat src/util.js
CMD ["sh"]
`;

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runBuildCommand(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

describeWithEngine('strata build against the test engine', () => {
  let docker: Docker;
  const dirs: string[] = [];
  const temp = async (prefix: string) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    docker = await testDocker();
  });
  afterAll(async () => {
    if (docker) await removeImagesWithNonce(docker, nonce);
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  // The builder's own log lines: Docker's classic builder, BuildKit's plain progress, and on Podman Buildah's
  // (what the classic builder's endpoint runs there: `STEP n/m:`, `--> Using cache <64 hex>`).
  const builds: Array<[string, RegExp, RegExp, number]> = onPodman
    ? [['classic', /^--> Using cache [0-9a-f]{64}$/m, /^STEP 2\/6: RUN echo nonce-/m, 3]]
    : [
        // The classic builder runs CMD as a step (it commits an image); BuildKit does not count it.
        ['classic', /^ ---> Using cache$/m, /^Step 2\/6 : RUN echo nonce-/m, 3],
        ['buildkit', /^#\d+ CACHED$/m, /^#\d+ \[2\/5\] RUN echo nonce-/m, 2],
      ];

  it.each(builds)(
    'with the %s builder: builds, one file changes, the rebuild log shows the cache and the reason names the file',
    async (builder, cacheLine, stepLine, ran) => {
      const dir = await temp('strata-it-cli-build-');
      const history = await temp('strata-it-cli-history-');
      await mkdir(join(dir, 'src'));
      await writeFile(join(dir, 'Dockerfile'), DOCKERFILE);
      await writeFile(join(dir, 'src/util.js'), `export const v = '${builder} one';\n`);
      const args = [
        dir,
        '--builder',
        builder,
        '--network',
        'none',
        '--history',
        history,
        '-t',
        `strata-it-cli/${builder}:${nonce}`,
      ];

      const first = await run(args);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(stepLine);
      expect(first.stdout).toContain('No previous build of this folder, Dockerfile and builder to compare with.');

      await writeFile(join(dir, 'src/util.js'), `export const v = '${builder} two';\n`);
      const second = await run(args);
      expect(second.code).toBe(0);
      // The builder's own text: the steps before COPY came from the cache.
      expect(second.stdout).toMatch(cacheLine);
      expect(second.stdout).toContain('Why steps ran again');
      expect(second.stdout).toContain('COPY src ./src ran again: src/util.js changed');
      expect(second.stdout).toMatch(/RUN cat src\/util\.js ran again: an earlier step ran again \(COPY src \.\/src\)/);
      expect(second.stdout).toMatch(
        new RegExp(`: 2 cached, ${ran} run; the cache saved \\d+\\.\\ds against the previous build`),
      );

      // The JSON form carries the same reasons and log.
      await writeFile(join(dir, 'src/util.js'), `export const v = '${builder} three';\n`);
      const third = await run([...args, '--json']);
      expect(third.code).toBe(0);
      const json = JSON.parse(third.stdout) as {
        status: string;
        cacheMisses: Array<{ text: string }>;
        log: Array<{ text: string }>;
      };
      expect(json.status).toBe('succeeded');
      expect(json.cacheMisses[0]?.text).toBe('COPY src ./src ran again: src/util.js changed');
      expect(json.log.some((l) => cacheLine.test(l.text))).toBe(true);
    },
  );

  it(`chooses ${onPodman ? "Buildah on Podman (the classic builder's endpoint)" : 'BuildKit on a Docker Engine that has it'}, as the app's Automatic does`, async () => {
    const dir = await temp('strata-it-cli-auto-');
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BUSYBOX}\nRUN echo ${nonce}-auto\n`);
    const history = await temp('strata-it-cli-history-');
    const built = await run([dir, '--network', 'none', '--history', history, '--json']);
    expect(built.code).toBe(0);
    const json = JSON.parse(built.stdout) as { builder: string; log: Array<{ text: string }> };
    expect(json.builder).toBe(onPodman ? 'classic' : 'buildkit');
    const step = onPodman ? /^STEP 2\/2: RUN echo nonce-/ : /^#\d+ \[2\/2\] RUN echo nonce-/;
    expect(json.log.some((l) => step.test(l.text))).toBe(true);
  });

  it.runIf(onPodman)(
    'refuses BuildKit on Podman as bad usage, saying what to choose, and prints no build',
    async () => {
      const dir = await temp('strata-it-cli-buildkit-');
      await writeFile(join(dir, 'Dockerfile'), `FROM ${BUSYBOX}\nRUN echo ${nonce}-buildkit\n`);
      const history = await temp('strata-it-cli-history-');
      const refused = await run([dir, '--builder', 'buildkit', '--network', 'none', '--history', history]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toBe(
        'strata build: Podman has no BuildKit: it builds with Buildah, which Strata drives as the classic builder. Choose Automatic or Classic builder.\n',
      );
    },
  );

  it('exits 1 with the failure when a step fails, and 2 on bad usage', async () => {
    const dir = await temp('strata-it-cli-fail-');
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BUSYBOX}\nRUN echo ${nonce} && exit 3\n`);
    const history = await temp('strata-it-cli-history-');
    const failed = await run([dir, '--builder', 'classic', '--network', 'none', '--history', history]);
    expect(failed.code).toBe(1);
    if (onPodman) {
      // Buildah runs the step without naming a container, and says the exit status its own way.
      expect(failed.stdout).toMatch(/^STEP 2\/2: RUN echo nonce-\w+ && exit 3$/m);
      expect(failed.stdout).toMatch(/^\s+FAILED\s+line 2\s+RUN echo nonce-/m);
      expect(failed.stderr).toBe(
        `strata build: building at STEP "RUN echo ${nonce} && exit 3": while running runtime: exit status 3\n`,
      );
    } else {
      expect(failed.stdout).toMatch(/^ ---> Running in [0-9a-f]{12}$/m);
      expect(failed.stderr).toMatch(/returned a non-zero code: 3/);
    }
    expect(failed.stdout).toMatch(/Build failed after/);
    expect((await run([dir, '--builder', 'kaniko'])).code).toBe(2);
    expect((await run([])).code).toBe(2);
  });
});
