import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import { scanContext } from '../../../src-main/core/context/context-scan';
import { sha256Hex } from '../../../src-main/core/files/file-version';
import type {
  ContextReport,
  ContextTreeInfo,
  ContextTreePage,
  OpenedContext,
} from '../../../src-main/ipc/contract/context';
import { dispatch, type Reply } from '../../../src-main/ipc/dispatch';
import { createHandlers } from '../../../src-main/ipc/handlers';

// The files and context domains through the real dispatcher (schema validation, handlers, error shape),
// on a real filesystem; no engine is needed (`auto` plans for BuildKit while none is connected).
describe('files and context channels', () => {
  let root: string;
  let services: Services;
  let call: (channel: string, payload: unknown) => Promise<Reply>;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'strata-context-ipc-'));
    services = createServices({ dataDir: join(root, 'data'), env: {}, homeDir: root });
    const handlers = createHandlers(services);
    call = (channel, payload) => dispatch(handlers, channel, payload, { trusted: true, description: 'test' });
  });
  afterAll(() => {
    disposeServices(services);
    rmSync(root, { recursive: true, force: true });
  });

  function ok<T>(reply: Reply): T {
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
    return reply.result as T;
  }

  it('opens a context folder or a Dockerfile in one, lists candidates and remembers it', async () => {
    const dir = join(root, 'ctx');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(dir, 'api.Dockerfile'), 'FROM scratch\n');
    expect(ok<OpenedContext>(await call('context.open', { path: `${dir}/` }))).toEqual({
      contextDir: dir,
      candidates: ['Dockerfile', 'api.Dockerfile'],
    });
    expect(ok<OpenedContext>(await call('context.open', { path: join(dir, 'api.Dockerfile') }))).toEqual({
      contextDir: dir,
      dockerfile: 'api.Dockerfile',
      candidates: ['Dockerfile', 'api.Dockerfile'],
    });
    // Remembered: the next plain open says which Dockerfile was used.
    expect(ok<OpenedContext>(await call('context.open', { path: dir })).remembered).toBe('api.Dockerfile');
    expect(ok<Array<{ contextDir: string }>>(await call('context.recent', {}))[0]).toMatchObject({
      contextDir: dir,
      dockerfile: 'api.Dockerfile',
    });
    expect(JSON.parse(readFileSync(join(root, 'data', 'recent-contexts.json'), 'utf8'))[0].contextDir).toBe(dir);

    // `~` is the services' home folder (the one engine discovery uses too), here the test's root.
    const home = ok<OpenedContext>(await call('context.open', { path: '~' }));
    expect(home.contextDir).toBe(root);
    const relative = await call('context.open', { path: 'ctx' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const missing = await call('context.open', { path: join(root, 'nope') });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('scans as the build packs, without the entry list', async () => {
    const dir = join(root, 'scan');
    mkdirSync(join(dir, '.git'), { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
    writeFileSync(join(dir, '.dockerignore'), '*.log\nDockerfile\n');
    writeFileSync(join(dir, 'a.log'), 'x');
    writeFileSync(join(dir, 'b.txt'), 'hello');
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref');
    // auto plans as build.start does: .dockerignore excludes the Dockerfile, so the classic builder (whose
    // daemon removes it again) rather than BuildKit, which would need it in the tar; the note says why.
    const report = ok<ContextReport & { entries?: unknown }>(await call('context.scan', { contextDir: dir }));
    const expected = await scanContext({ contextDir: dir, builder: 'classic' });
    expect(report.entries).toBeUndefined();
    expect(report).toMatchObject({
      builder: 'classic',
      fileCount: expected.fileCount,
      totalBytes: expected.totalBytes,
      excluded: expected.excluded,
      entryCount: expected.entries.length,
      excludedBy: expected.excludedBy,
    });
    expect(report.builderNote).toMatch(/^Using the classic builder: \.dockerignore excludes Dockerfile/);
    expect(report.warnings.map((w) => w.suggestedRule)).toEqual(['.git']);
    // BuildKit reads the excluded Dockerfile from the uploaded tar: the build keeps it, and so does the scan.
    const buildkit = ok<ContextReport>(await call('context.scan', { contextDir: dir, builder: 'buildkit' }));
    const expectedBuildkit = await scanContext({ contextDir: dir, builder: 'buildkit', forceBuildFiles: true });
    expect(buildkit).toMatchObject({ builder: 'buildkit', totalBytes: expectedBuildkit.totalBytes });
    expect(buildkit.forcedPatterns).toEqual(['!Dockerfile']);
    expect(buildkit.builderNote).toMatch(/^Warning: \.dockerignore excludes Dockerfile/);
    const classic = ok<ContextReport>(await call('context.scan', { contextDir: dir, builder: 'classic' }));
    expect(classic.builder).toBe('classic');
    const bad = await call('context.scan', { contextDir: dir, top: 1000 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('adds an ignore rule to the ignore file the build reads', async () => {
    const dir = join(root, 'rule');
    mkdirSync(dir);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(dir, 'Dockerfile.dockerignore'), 'secret\n');
    writeFileSync(join(dir, '.dockerignore'), 'other\n');
    // BuildKit prefers <Dockerfile>.dockerignore; the classic builder reads only .dockerignore.
    expect(
      ok(await call('context.addIgnoreRule', { contextDir: dir, rule: '.git', builder: 'buildkit' })),
    ).toMatchObject({
      path: join(dir, 'Dockerfile.dockerignore'),
      added: true,
      line: 2,
    });
    expect(
      ok(await call('context.addIgnoreRule', { contextDir: dir, rule: '.git', builder: 'classic' })),
    ).toMatchObject({
      path: join(dir, '.dockerignore'),
      added: true,
    });
    expect(readFileSync(join(dir, 'Dockerfile.dockerignore'), 'utf8')).toBe('secret\n.git\n');
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('other\n.git\n');
    // No Dockerfile yet: the context's .dockerignore.
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(ok(await call('context.addIgnoreRule', { contextDir: empty, rule: 'node_modules' }))).toMatchObject({
      path: join(empty, '.dockerignore'),
    });
  });

  it('reads and saves through the files channels with the conflict guard', async () => {
    const file = join(root, 'Containerfile');
    writeFileSync(file, 'FROM scratch\n');
    const read = ok<{ text: string; version: { sha256: string } }>(await call('files.read', { path: file }));
    expect(read.version.sha256).toBe(sha256Hex('FROM scratch\n'));
    const saved = ok<{ version: { sha256: string } }>(
      await call('files.save', { path: file, text: 'FROM scratch\nCMD ["x"]\n', expectedSha256: read.version.sha256 }),
    );
    expect(saved.version.sha256).toBe(sha256Hex('FROM scratch\nCMD ["x"]\n'));
    const stale = await call('files.save', { path: file, text: 'lost?', expectedSha256: read.version.sha256 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', details: { reason: 'changed' } } });
    expect(readFileSync(file, 'utf8')).toBe('FROM scratch\nCMD ["x"]\n');
    const badHash = await call('files.save', { path: file, text: 'x', expectedSha256: 'abc' });
    expect(badHash).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('watches files and pushes files.changed for changes made by others, not for its own saves', async () => {
    const link = join(root, 'watched');
    mkdirSync(link);
    const file = join(link, 'Dockerfile');
    writeFileSync(file, 'FROM a\n');
    const events: Array<{ path: string; sha256: string | null }> = [];
    const off = services.bus.subscribe((name, payload) => {
      if (name === 'files.changed') events.push(payload as { path: string; sha256: string | null });
    });
    try {
      ok(await call('files.watch', { paths: [file] }));
      const read = ok<{ version: { sha256: string } }>(await call('files.read', { path: file }));
      ok(await call('files.save', { path: file, text: 'FROM ours\n', expectedSha256: read.version.sha256 }));
      writeFileSync(file, 'FROM theirs\n');
      await expect
        .poll(() => events, { timeout: 10_000 })
        .toContainEqual(expect.objectContaining({ path: file, sha256: sha256Hex('FROM theirs\n') }));
      expect(events.map((e) => e.sha256)).not.toContain(sha256Hex('FROM ours\n'));
    } finally {
      off();
      ok(await call('files.watch', { paths: [] }));
    }
  });

  it('keeps the context tree in main and pages its rows by id; a bad request or a forgotten id is refused', async () => {
    const dir = join(root, 'tree-ctx');
    mkdirSync(join(dir, 'logs'), { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(dir, '.dockerignore'), '# logs stay home\nlogs\n');
    writeFileSync(join(dir, 'logs', 'a.log'), 'aaaa');
    const info = ok<ContextTreeInfo>(await call('context.tree', { contextDir: dir }));
    expect(info).toMatchObject({ sentFiles: 2, excludedFiles: 1, excludedBytes: 4, since: null });
    expect(info.rules).toEqual([{ pattern: 'logs', line: 2, forced: false }]);
    const page = ok<ContextTreePage>(await call('context.treeRows', { treeId: info.treeId, expanded: ['logs'] }));
    expect(page.rows.map((r) => [r.path, r.sent, r.rule?.line])).toEqual([
      ['.dockerignore', true, undefined],
      ['Dockerfile', true, undefined],
      ['logs', false, 2],
      ['logs/a.log', false, 2],
    ]);
    expect(await call('context.treeRows', { treeId: info.treeId, show: 'hidden' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await call('context.treeRows', { treeId: 'gone' })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringContaining('open the context files again') },
    });
  });
});
