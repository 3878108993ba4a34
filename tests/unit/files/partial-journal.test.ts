import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../src-main/core/files/atomic-write';
import { PartialJournal } from '../../../src-main/core/files/partial-journal';

let dir: string;
let journalDir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'strata-journal-'));
  journalDir = path.join(dir, 'data', 'partial-files');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A journal entry as a process with this pid would have written it. */
async function entry(file: string, pid: number): Promise<void> {
  await writeFile(
    path.join(journalDir, `${Math.random().toString(16).slice(2)}.json`),
    JSON.stringify({ path: file, pid }),
  );
}

/** A pid that belonged to a process which has ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('partial-file journal', () => {
  it('lists a partial while it is being written and forgets it once done', async () => {
    const journal = new PartialJournal(journalDir);
    const forget = await journal.track(path.join(dir, 'a.tar.partial-0123456789ab'));
    expect(await readdir(journalDir)).toHaveLength(1);
    await forget();
    expect(await readdir(journalDir)).toEqual([]);
  });

  it('deletes the partials of dead processes, only under Strata’s own names, and never unlisted files', async () => {
    const journal = new PartialJournal(journalDir);
    await journal.track(path.join(dir, 'x')); // creates the folder
    for (const name of await readdir(journalDir)) await rm(path.join(journalDir, name));
    const pid = await deadPid();
    const left = path.join(dir, 'images.tar.partial-0123456789ab');
    const leftTemp = path.join(dir, '.Dockerfile.0123456789ab.tmp');
    const unlisted = path.join(dir, 'other.tar.partial-aaaaaaaaaaaa');
    const tampered = path.join(dir, 'precious.txt');
    for (const f of [left, leftTemp, unlisted, tampered]) await writeFile(f, 'x');
    await entry(left, pid);
    await entry(leftTemp, pid);
    await entry(tampered, pid);
    await entry('relative.tar.partial-0123456789ab', pid);
    await entry(path.join(dir, 'gone.tar.partial-0123456789ab'), pid);
    await writeFile(path.join(journalDir, 'damaged.json'), '{"path":');

    const result = await journal.cleanUp();
    expect(result.removed.sort()).toEqual([leftTemp, left].sort());
    expect((await readdir(dir)).sort()).toEqual(['data', 'other.tar.partial-aaaaaaaaaaaa', 'precious.txt']);
    expect(await readdir(journalDir)).toEqual([]);
  });

  it('leaves alone the partial of a save another running process is still writing', async () => {
    const journal = new PartialJournal(journalDir);
    await journal.track(path.join(dir, 'x'));
    for (const name of await readdir(journalDir)) await rm(path.join(journalDir, name));
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const file = path.join(dir, 'busy.tar.partial-0123456789ab');
      await writeFile(file, 'x');
      await entry(file, other.pid!);
      const result = await journal.cleanUp();
      expect(result).toEqual({ removed: [], kept: [file] });
      expect(await readdir(dir)).toContain('busy.tar.partial-0123456789ab');
      expect(await readdir(journalDir)).toHaveLength(1);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('leaves alone a partial this very run is writing, even when the cleanup runs late', async () => {
    const journal = new PartialJournal(journalDir);
    const file = path.join(dir, 'now.tar.partial-0123456789ab');
    const forget = await journal.track(file);
    await writeFile(file, 'x');
    expect(await journal.cleanUp()).toEqual({ removed: [], kept: [file] });
    expect(await readdir(dir)).toContain('now.tar.partial-0123456789ab');
    await forget();
  });

  it('has nothing to do when no journal was ever written', async () => {
    expect(await new PartialJournal(journalDir).cleanUp()).toEqual({ removed: [], kept: [] });
  });

  it('records an atomic write’s temp file under the name cleanUp accepts, and forgets it after the rename', async () => {
    const journal = new PartialJournal(journalDir);
    const tracked: string[] = [];
    const track = journal.track.bind(journal);
    journal.track = async (file) => {
      tracked.push(file);
      expect(await readdir(dir)).not.toContain(path.basename(file)); // recorded before it exists
      return track(file);
    };
    await writeFileAtomic({ path: path.join(dir, 'Dockerfile'), data: 'FROM scratch\n', journal });
    expect(tracked).toHaveLength(1);
    expect(path.basename(tracked[0]!)).toMatch(/^\.Dockerfile\.[0-9a-f]{12}\.tmp$/);
    expect(await readdir(journalDir)).toEqual([]);
    expect((await readdir(dir)).sort()).toEqual(['Dockerfile', 'data']);
  });
});
