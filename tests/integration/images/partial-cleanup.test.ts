import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, disposeServices, removeLeftoverPartials } from '../../../src-main/ipc/services';
import { BUSYBOX, describeWithEngine, testDocker } from '../engine-available';

/** A real process saving an image, killed with SIGKILL once the partial file has bytes in it; returns its name. */
async function saveAndKill(destination: string, journalDir: string): Promise<string> {
  // tsx as a loader in this very process (its CLI would run the script in a grandchild the kill would miss).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('tests/fixtures/partials/save-and-die.ts'), BUSYBOX, destination, journalDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let stdout = '';
  const partial = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const said = /^saving (.+)\n/m.exec(stdout);
      if (said) resolve(said[1]!);
    });
    child.on('exit', () => reject(new Error(`the saving process ended before it started saving: ${stderr}`)));
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  return partial;
}

describeWithEngine('partial files left by a save the app did not live to finish', () => {
  let dir: string;
  let dataDir: string;

  beforeAll(async () => {
    await testDocker();
    dir = await mkdtemp(path.join(tmpdir(), 'strata-partials-'));
    dataDir = await mkdtemp(path.join(tmpdir(), 'strata-partials-data-'));
  });

  afterAll(async () => {
    for (const d of [dir, dataDir]) if (d) await rm(d, { recursive: true, force: true });
  });

  it('are deleted at the next startup, and nothing else is', async () => {
    const destination = path.join(dir, 'busybox.tar');
    // A user's file with a partial-like name that Strata never wrote: it must survive.
    const theirs = path.join(dir, 'notes.tar.partial-0123456789ab');
    await writeFile(theirs, 'not ours');

    const services = createServices({ dataDir, env: {} });
    const first = await saveAndKill(destination, path.join(dataDir, 'partial-files'));
    const second = await saveAndKill(destination, path.join(dataDir, 'partial-files'));
    const debris = (await readdir(dir)).filter((n) => n.startsWith('busybox.tar.partial-'));
    expect(debris.sort()).toEqual([path.basename(first), path.basename(second)].sort());

    await removeLeftoverPartials(services);
    disposeServices(services);
    expect((await readdir(dir)).sort()).toEqual([path.basename(theirs)]);
    expect(await readdir(path.join(dataDir, 'partial-files'))).toEqual([]);
  });
});
