import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecentContextsStore } from '../../../src-main/core/files/recent-contexts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'strata-recent-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('RecentContextsStore', () => {
  it('keeps contexts newest first, once each, with their Dockerfile, at most twelve', async () => {
    const store = new RecentContextsStore(dataDir);
    for (let i = 0; i < 14; i++) await store.remember({ contextDir: `/p/${i}`, now: i });
    await store.remember({ contextDir: '/p/5', dockerfile: 'prod.Dockerfile', now: 100 });
    const list = await new RecentContextsStore(dataDir).list();
    expect(list).toHaveLength(12);
    expect(list[0]).toEqual({ contextDir: '/p/5', dockerfile: 'prod.Dockerfile', openedAt: 100 });
    expect(list.slice(1, 3).map((r) => r.contextDir)).toEqual(['/p/13', '/p/12']);
    expect(list.filter((r) => r.contextDir === '/p/5')).toHaveLength(1);

    await store.forget('/p/5');
    expect((await store.list()).map((r) => r.contextDir)).not.toContain('/p/5');
  });

  it('loses no entry when several are remembered at once', async () => {
    const store = new RecentContextsStore(dataDir);
    await Promise.all(['/a', '/b', '/c', '/d'].map((contextDir, i) => store.remember({ contextDir, now: i })));
    expect((await store.list()).map((r) => r.contextDir).sort()).toEqual(['/a', '/b', '/c', '/d']);
  });

  it('reads a damaged file as empty', async () => {
    const store = new RecentContextsStore(dataDir);
    writeFileSync(store.path, '{ not json');
    expect(await store.list()).toEqual([]);
    writeFileSync(store.path, JSON.stringify([{ contextDir: '/ok', openedAt: 1 }, { nope: true }, null]));
    expect(await store.list()).toEqual([{ contextDir: '/ok', openedAt: 1 }]);
  });
});
