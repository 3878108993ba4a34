import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, disposeServices, removeLeftoverPartials } from '../../../src-main/ipc/services';
import { BUSYBOX, describeWithEngine, testDocker } from '../engine-available';

/** A real process saving an image, killed with SIGKILL once the partial file has bytes in it. */
async function saveAndKill(destination: string, journalDir: string): Promise<void> {
  // tsx as a loader in this very process (its CLI would run the script in a grandchild the kill would miss).
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('tests/fixtures/partials/save-and-die.ts'), BUSYBOX, destination, journalDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('saving')) resolve();
    });
    child.on('exit', () => reject(new Error(`the saving process ended before it started saving: ${stderr}`)));
  });
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
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
    await saveAndKill(destination, path.join(dataDir, 'partial-files'));
    await saveAndKill(destination, path.join(dataDir, 'partial-files'));
    const debris = (await readdir(dir)).filter((n) => n.startsWith('busybox.tar.partial-'));
    expect(debris).toHaveLength(2);

    await removeLeftoverPartials(services);
    disposeServices(services);
    expect((await readdir(dir)).sort()).toEqual([path.basename(theirs)]);
    expect(await readdir(path.join(dataDir, 'partial-files'))).toEqual([]);
  });
});
