import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runContextCommand } from '../../../src-main/cli/context-command';
import { identifyEngine } from '../../../src-main/core/engine/identify-engine';
import { describeWithEngine, engineHost, onPodman } from '../engine-available';

// `strata context` asks the engine at DOCKER_HOST what it is, and plans as a build there would: Buildah's
// ignore reading on Podman, Docker's on Docker.
describeWithEngine('strata context asks the engine it would build on', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('names the engine from its ping, and lists what that engine’s builder would be sent', async () => {
    const { engine } = await identifyEngine();
    expect(engine).toMatchObject({ product: onPodman ? 'Podman' : 'Docker Engine', address: engineHost });

    const dir = await mkdtemp(join(tmpdir(), 'strata-it-context-'));
    dirs.push(dir);
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
    await writeFile(join(dir, '.containerignore'), 'only-podman-hides.txt\n');
    await writeFile(join(dir, '.dockerignore'), 'only-docker-hides.txt\n');
    await writeFile(join(dir, 'only-podman-hides.txt'), 'p');
    await writeFile(join(dir, 'only-docker-hides.txt'), 'd');
    let stdout = '';
    let stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
    expect(await runContextCommand([dir, '--json'], io)).toBe(0);
    expect(stderr).toBe('');
    const out = JSON.parse(stdout) as { files: { path: string }[]; engine: unknown; transfer: string };
    // It says which engine it planned for, that it asked that engine, and how the context goes there.
    expect(out.engine).toEqual({
      kind: onPodman ? 'podman' : 'docker',
      product: onPodman ? 'Podman' : 'Docker Engine',
      determinedBy: 'asked-engine',
      address: engineHost,
      source: 'DOCKER_HOST',
    });
    expect(out.transfer).toBe(onPodman ? 'tar' : 'session');
    const files = out.files.map((f) => f.path);
    expect(files).toContain(onPodman ? 'only-docker-hides.txt' : 'only-podman-hides.txt');
    expect(files).not.toContain(onPodman ? 'only-podman-hides.txt' : 'only-docker-hides.txt');
  });
});
