import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileWatcher, type WatchedChange } from '../../../src-main/core/files/file-watcher';
import { sha256Hex } from '../../../src-main/core/files/file-version';
import { readTextFile, saveTextFile } from '../../../src-main/core/files/text-file';

// The watcher against the real filesystem: what other programs do to a Dockerfile and its folder.
// No engine needed. Absence of an event is shown by ordering (a later real change arrives alone), not by sleeping.
let dir: string;
let watcher: FileWatcher;
let changes: WatchedChange[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-watch-'));
  changes = [];
  watcher = new FileWatcher({ onChange: (c) => changes.push(c), pollMs: 150, debounceMs: 30 });
});
afterEach(() => {
  watcher.close();
  rmSync(dir, { recursive: true, force: true });
});

function waitFor(predicate: (all: WatchedChange[]) => boolean) {
  return expect.poll(() => predicate(changes), { timeout: 10_000, interval: 20 }).toBe(true);
}

const fileChange = (path: string, text: string | null) => (c: WatchedChange) =>
  c.path === path && c.kind === 'file' && c.sha256 === (text === null ? null : sha256Hex(text));

describe('FileWatcher', () => {
  it('reports edits in place, saves by rename, deletion and re-creation', async () => {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, 'FROM a\n');
    await watcher.setPaths([file]);

    writeFileSync(file, 'FROM b\n');
    await waitFor((all) => all.some(fileChange(file, 'FROM b\n')));

    // vim, VS Code and friends write a new file and rename it over the old one.
    writeFileSync(join(dir, '.Dockerfile.swp'), 'FROM c\n');
    renameSync(join(dir, '.Dockerfile.swp'), file);
    await waitFor((all) => all.some(fileChange(file, 'FROM c\n')));

    rmSync(file);
    await waitFor((all) => all.some(fileChange(file, null)));

    writeFileSync(file, 'FROM d\n');
    await waitFor((all) => all.some(fileChange(file, 'FROM d\n')));
    expect(changes.filter((c) => c.path !== file)).toEqual([]);
  });

  it('stays quiet for a touch that leaves the content alone', async () => {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, 'FROM a\n');
    await watcher.setPaths([file]);
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    writeFileSync(file, 'FROM a\n');
    writeFileSync(file, 'FROM real-change\n');
    await waitFor((all) => all.some(fileChange(file, 'FROM real-change\n')));
    expect(changes.map((c) => c.sha256)).toEqual([sha256Hex('FROM real-change\n')]);
  });

  it('notices a watched file that does not exist yet when it appears', async () => {
    const ignore = join(dir, '.dockerignore');
    await watcher.setPaths([ignore]);
    writeFileSync(ignore, 'node_modules\n');
    await waitFor((all) => all.some(fileChange(ignore, 'node_modules\n')));
  });

  it('does not report its own save once acknowledged', async () => {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, 'FROM a\n');
    await watcher.setPaths([file]);
    const loaded = await readTextFile({ path: file });
    await saveTextFile({ path: file, text: 'FROM ours\n', expectedSha256: loaded.version.sha256 });
    await watcher.acknowledge(file);
    writeFileSync(file, 'FROM theirs\n');
    await waitFor((all) => all.some(fileChange(file, 'FROM theirs\n')));
    expect(changes.map((c) => c.sha256)).not.toContain(sha256Hex('FROM ours\n'));
  });

  it('reports a watched folder when entries come and go, and forgets paths no longer wanted', async () => {
    const context = join(dir, 'ctx');
    mkdirSync(context);
    const old = join(dir, 'Old.Dockerfile');
    writeFileSync(old, 'FROM a\n');
    await watcher.setPaths([old]);
    await watcher.setPaths([context]);
    expect(watcher.watched()).toEqual([context]);

    writeFileSync(old, 'FROM not-watched-any-more\n');
    mkdirSync(join(context, 'node_modules'));
    await waitFor((all) => all.some((c) => c.path === context && c.kind === 'dir'));
    expect(changes.every((c) => c.path === context)).toBe(true);
  });

  it('stops reporting when closed', async () => {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, 'FROM a\n');
    const second = new FileWatcher({
      onChange: (c) => changes.push({ ...c, path: `second:${c.path}` }),
      pollMs: 100,
      debounceMs: 10,
    });
    await second.setPaths([file]);
    await watcher.setPaths([file]);
    second.close();
    writeFileSync(file, 'FROM b\n');
    await waitFor((all) => all.some(fileChange(file, 'FROM b\n')));
    expect(changes.filter((c) => c.path.startsWith('second:'))).toEqual([]);
  });
});
