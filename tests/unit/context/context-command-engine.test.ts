import { afterEach, describe, expect, it } from 'vitest';
import { runContextCommand } from '../../../src-main/cli/context-command';
import { engineFromPingHeaders } from '../../../src-main/core/engine/identify-engine';
import { removeTrees, tempTree } from './temp-tree';

afterEach(removeTrees);

type Identify = NonNullable<Parameters<typeof runContextCommand>[2]>['identify'];

async function run(argv: string[], identify: Identify) {
  let stdout = '';
  let stderr = '';
  const code = await runContextCommand(
    argv,
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } },
    { identify },
  );
  return { code, stdout, stderr };
}

const found =
  (product: 'Docker Engine' | 'Podman'): Identify =>
  async () => ({
    engine: { product, apiVersion: '1.41', address: 'unix:///test/engine.sock', source: 'DOCKER_HOST' },
    looked: [],
  });
const notAsked: Identify = async () => {
  throw new Error('the engine must not be asked with --engine-kind');
};

/** Buildah reads .containerignore before .dockerignore; Docker reads only .dockerignore. */
const tree = () =>
  tempTree({
    Dockerfile: 'FROM scratch\nCOPY . /\n',
    '.containerignore': 'only-podman-hides.txt\n',
    '.dockerignore': 'only-docker-hides.txt\n',
    'only-podman-hides.txt': 'p',
    'only-docker-hides.txt': 'd',
  });
const sent = (stdout: string) => (JSON.parse(stdout) as { files: { path: string }[] }).files.map((f) => f.path);

describe('strata context plans for the engine a build would use', () => {
  it('asks the engine: on Podman the plan is Buildah with its ignore file, on Docker Docker’s', async () => {
    const dir = await tree();
    const podman = await run([dir, '--json'], found('Podman'));
    expect(podman.code).toBe(0);
    expect(sent(podman.stdout)).toContain('only-docker-hides.txt');
    expect(sent(podman.stdout)).not.toContain('only-podman-hides.txt');
    const docker = await run([dir, '--json'], found('Docker Engine'));
    expect(sent(docker.stdout)).toContain('only-podman-hides.txt');
    expect(sent(docker.stdout)).not.toContain('only-docker-hides.txt');
    const human = await run([dir], found('Podman'));
    expect(human.stdout).toContain('Engine         Podman at unix:///test/engine.sock (DOCKER_HOST)');
    expect(human.stdout).toContain('Ignore file    .containerignore');
  });

  it('--engine-kind plans offline for that engine, without asking one', async () => {
    const dir = await tree();
    const podman = await run([dir, '--json', '--engine-kind', 'podman'], notAsked);
    expect(podman).toMatchObject({ code: 0, stderr: '' });
    expect(sent(podman.stdout)).not.toContain('only-podman-hides.txt');
    const docker = await run([dir, '--engine-kind', 'docker'], notAsked);
    expect(docker.stdout).toContain('Engine         Docker Engine (--engine-kind docker, not asked)');
    expect(docker.stdout).toContain('Ignore file    .dockerignore');
  });

  it('with no engine answering, plans for Docker and says so on stderr, naming where it looked', async () => {
    const dir = await tree();
    const none = await run([dir, '--json'], async () => ({
      looked: ['unix:///var/run/docker.sock (Docker Engine socket): nothing there'],
    }));
    expect(none.code).toBe(0);
    expect(sent(none.stdout)).not.toContain('only-docker-hides.txt');
    expect(none.stderr).toBe(
      'strata context: no engine answered, so this is the plan for Docker Engine with BuildKit; pass ' +
        '--engine-kind podman to plan for Podman.\n  Looked at: unix:///var/run/docker.sock (Docker Engine socket): nothing there\n',
    );
  });

  it('--json names the engine planned for, how it was determined, and how the context goes', async () => {
    const dir = await tree();
    type Out = { builder: string; engine: unknown; transfer: string };
    const json = async (args: string[], identify: Identify) => {
      const result = await run([dir, '--json', ...args], identify);
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as Out;
    };
    const where = { address: 'unix:///test/engine.sock', source: 'DOCKER_HOST' };
    // Asked: Podman builds with Buildah, which takes a tar; Docker Engine takes BuildKit's session.
    expect(await json([], found('Podman'))).toMatchObject({
      builder: 'classic',
      engine: { kind: 'podman', product: 'Podman', determinedBy: 'asked-engine', ...where },
      transfer: 'tar',
    });
    expect(await json([], found('Docker Engine'))).toMatchObject({
      builder: 'buildkit',
      engine: { kind: 'docker', product: 'Docker Engine', determinedBy: 'asked-engine', ...where },
      transfer: 'session',
    });
    // The classic builder always takes a tar.
    expect((await json(['--builder', 'classic'], found('Docker Engine'))).transfer).toBe('tar');
    // --engine-kind: nothing asked, so no address.
    expect((await json(['--engine-kind', 'podman'], notAsked)).engine).toEqual({
      kind: 'podman',
      product: 'Podman',
      determinedBy: 'engine-kind-option',
    });
    expect(await json(['--engine-kind', 'docker'], notAsked)).toMatchObject({
      engine: { kind: 'docker', product: 'Docker Engine', determinedBy: 'engine-kind-option' },
      transfer: 'session',
    });
    // No engine answered: Docker Engine with BuildKit, said so.
    const none = await json([], async () => ({ looked: [] }));
    expect(none.engine).toEqual({ kind: 'docker', product: 'Docker Engine', determinedBy: 'no-engine-answered' });
    expect(none).toMatchObject({ builder: 'buildkit', transfer: 'session' });
  });

  it('refuses an unknown --engine-kind as bad usage, and documents the option', async () => {
    const bad = await run(['.', '--engine-kind', 'containerd'], notAsked);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--engine-kind must be docker or podman') });
    const help = await run(['--help'], notAsked);
    expect(help.stdout).toContain('--engine-kind <kind>  docker or podman');
    expect(help.stdout).toContain('"engine":{"kind":K,"product":P,"determinedBy":D[,"address":A,"source":S]}');
    expect(help.stdout).toContain('"asked-engine"');
    expect(help.stdout).toContain('"engine-kind-option"');
    expect(help.stdout).toContain('"no-engine-answered"');
  });
});

describe('engineFromPingHeaders', () => {
  it('tells Podman and Docker from their /_ping headers (as recorded from Podman 4.3 and Docker 20.10)', () => {
    expect(
      engineFromPingHeaders({
        'api-version': '1.41',
        'libpod-api-version': '4.3.1',
        'libpod-buildah-version': '1.28.2',
        server: 'Libpod/4.3.1 (linux)',
      }),
    ).toEqual({ product: 'Podman', apiVersion: '1.41' });
    expect(
      engineFromPingHeaders({ 'api-version': '1.41', ostype: 'linux', server: 'Docker/20.10.24+dfsg1 (linux)' }),
    ).toEqual({ product: 'Docker Engine', apiVersion: '1.41' });
    // Nothing to tell by: the version is asked for instead.
    expect(engineFromPingHeaders({ 'api-version': '1.41' })).toBeUndefined();
    expect(engineFromPingHeaders({})).toBeUndefined();
  });
});
