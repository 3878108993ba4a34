import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import { listFileTreeRows } from '../../../src-main/core/layers/file-tree-rows';
import type { FileTreeQuery, FileTreeRow } from '../../../src-main/core/layers/file-tree-rows';
import { analyzeImage } from '../../../src-main/core/layers/image-analysis';
import type { AnalyzedImage } from '../../../src-main/core/layers/image-analysis';
import type { FileTreePage, LayersOpened, LayersSummary } from '../../../src-main/ipc/contract/layers';
import type { JobEvent } from '../../../src-main/ipc/contract/jobs';
import { dispatch, type Handlers, type Reply } from '../../../src-main/ipc/dispatch';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { AnalysisCache } from '../../../src-main/core/layers/analysis-cache';
import { BUSYBOX, describeWithEngine, onPodman, testDocker } from '../engine-available';
import { buildFixture } from '../images/fixtures';

const TAG = `strata-it-layers-ipc/rows:${process.pid}`;
const FILES = 3000;
const trusted = { trusted: true, description: 'test' };

// Enough files that paging matters, then one change of each kind on top.
const DOCKERFILE = `FROM ${BUSYBOX}
RUN mkdir /many && i=1 && while [ $i -le ${FILES} ]; do echo $i > /many/f$i; i=$((i+1)); done
RUN echo changed-content > /many/f1 && head -c 5000 /dev/zero > /big
RUN rm /many/f2
`;

describeWithEngine('layers IPC: analysis jobs and row paging against the engine', () => {
  let docker: Docker;
  let services: Services;
  let handlers: Handlers;
  let dir: string;
  let archivePath: string;
  let expected: AnalyzedImage;
  let opened: LayersOpened;
  const events: JobEvent[] = [];

  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const reply: Reply = await dispatch(handlers, channel, payload, trusted);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
    return reply.result as T;
  };
  const failure = (channel: string, payload: unknown) =>
    call(channel, payload).then(
      () => ({ code: 'none', message: '' }),
      (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
    );
  const finish = async (jobId: string): Promise<JobEvent> => {
    await services.jobs.settled(jobId);
    return events.filter((e) => e.jobId === jobId).at(-1)!;
  };
  const rows = (payload: Record<string, unknown>) =>
    call<FileTreePage>('layers.rows', { analysisId: opened.analysisId, ...payload });
  const core = (query: FileTreeQuery): FileTreeRow[] => [
    ...listFileTreeRows(expected.tree, { ...query, limit: 5000 }).rows,
  ];

  beforeAll(async () => {
    docker = await testDocker();
    dir = mkdtempSync(join(tmpdir(), 'strata-it-layers-ipc-'));
    services = createServices({ dataDir: dir });
    services.bus.subscribe((name, payload) => {
      if (name === 'job.event') events.push(payload as JobEvent);
    });
    expect((await services.engine.connect()).state).toBe('connected');
    handlers = createHandlers(services);
    await buildFixture(docker, { tag: TAG, dockerfile: DOCKERFILE });
    archivePath = join(dir, 'rows.tar');
    await pipeline(await docker.getImage(TAG).get(), createWriteStream(archivePath));
    // The reference: the core reader on the same image, outside IPC.
    expected = await analyzeImage(await docker.getImage(TAG).get());
  });

  afterAll(async () => {
    if (docker)
      await docker
        .getImage(TAG)
        .remove({ force: true })
        .catch(() => undefined);
    if (services) disposeServices(services);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads an image as a job with byte progress, and keeps it in main', async () => {
    const { jobId } = await call<{ jobId: string }>('layers.analyzeImage', { image: TAG });
    const done = await finish(jobId);
    expect(done.type).toBe('done');
    opened = done.data as LayersOpened;
    expect(opened.cached).toBe(false);
    const progress = events.flatMap((e) =>
      e.jobId === jobId && e.kind === 'layers-analyze' && e.type === 'progress' ? [e.data] : [],
    );
    expect(progress[0]).toMatchObject({ bytesRead: 0, estimated: true });
    // Saved by image ID, the archive's manifest differs from a save by name: compare with what the job read.
    expect(progress.at(-1)!.bytesRead).toBe(opened.summary.bytesRead);
    expect(opened.summary.bytesRead).toBeGreaterThan(expected.analysis.sizeBytes);

    const summary = await call<LayersSummary>('layers.summary', { analysisId: opened.analysisId });
    expect(summary).toEqual(opened.summary);
    const { analysis } = expected;
    expect(summary).toMatchObject({
      source: { kind: 'image', image: TAG, imageId: (await docker.getImage(TAG).inspect()).Id },
      efficiency: analysis.efficiency,
      sizeBytes: analysis.sizeBytes,
      userSizeBytes: analysis.userSizeBytes,
      wastedBytes: analysis.wastedBytes,
      wastedUserPercent: analysis.wastedUserPercent,
      inefficientFiles: analysis.inefficientFiles,
      inefficientFileCount: analysis.inefficientFiles.length,
      reclaimableBytes: analysis.reclaimableBytes,
      fileCount: analysis.fileCount,
    });
    expect(summary.layers.map(({ added, modified, removed }) => ({ added, modified, removed }))).toEqual([
      expect.objectContaining({ modified: 0, removed: 0 }),
      // Buildah leaves its mount points behind in a RUN layer: empty /etc/hostname, /etc/hosts, /etc/resolv.conf.
      { added: FILES + (onPodman ? 3 : 0), modified: 0, removed: 0 },
      { added: 1, modified: 1, removed: 0 },
      { added: 0, modified: 0, removed: 1 },
    ]);
    expect(summary.layers.map((layer) => layer.sizeBytes)).toEqual(analysis.layers.map((layer) => layer.sizeBytes));
    // f1 (2 bytes, then 15) is the one path dive counts twice; f2 deleted once is not inefficient to dive.
    expect(summary.inefficientFiles).toContainEqual({ path: '/many/f1', count: 2, wastedBytes: 2 + 16 });
    expect(summary.reclaimableBytes).toBe(2 + 2);
  });

  it('pages the flattened tree by offset and limit, matching the core listing row for row', async () => {
    const last = 3;
    const all = core({ layer: last });
    expect(all.length).toBeGreaterThan(FILES);
    const first = await rows({ layerIndex: last, offset: 0, limit: 700 });
    expect(first.total).toBe(all.length);
    const paged: FileTreeRow[] = [...first.rows];
    for (let offset = 700; offset < first.total; offset += 700) {
      const page = await rows({ layerIndex: last, offset, limit: 700 });
      expect(page.offset).toBe(offset);
      expect(page.total).toBe(first.total);
      paged.push(...page.rows);
    }
    expect(paged).toEqual(all);
    const past = await rows({ layerIndex: last, offset: first.total + 10, limit: 50 });
    expect(past.rows).toEqual([]);
  });

  it('applies the toggles: only changes, only this layer, filter, collapsed folders, size order', async () => {
    const changes = await rows({ layerIndex: 2, onlyChanges: true, limit: 100 });
    expect(changes.rows.map((row) => `${row.path} ${row.status}`)).toEqual([
      '/big added',
      '/many modified',
      '/many/f1 modified',
    ]);
    const removed = await rows({ layerIndex: 3, onlyThisLayer: true, limit: 100 });
    expect(removed.rows.map((row) => `${row.path} ${row.status} ${row.inLayer}`)).toEqual([
      '/many modified true',
      '/many/f2 removed true',
      // Buildah records its /run mount point again in every RUN layer.
      ...(onPodman ? ['/run unchanged true'] : []),
    ]);
    const filtered = await rows({ layerIndex: 3, filter: 'MANY/F29', limit: 500 });
    expect(filtered.rows.map((row) => row.path)).toEqual(core({ layer: 3, filter: 'many/f29' }).map((row) => row.path));
    expect(filtered.total).toBe(1 + 1 + 10 + 100); // /many, f29, f290..f299, f2900..f2999

    const collapsed = await rows({ layerIndex: 3, collapsed: ['/many', '/bin'], limit: 5000 });
    expect(collapsed.rows.find((row) => row.path === '/many')).toMatchObject({ collapsed: true, hasChildren: true });
    expect(collapsed.rows.some((row) => row.path.startsWith('/many/') || row.path.startsWith('/bin/'))).toBe(false);
    expect(collapsed.total).toBe(core({ layer: 3, collapsed: ['/many', '/bin'] }).length);

    const bySize = await rows({ layerIndex: 3, sortBySize: true, collapsed: ['/many', '/bin'], limit: 100 });
    const top = bySize.rows.filter((row) => row.depth === 0);
    expect(top.map((row) => row.size)).toEqual([...top.map((row) => row.size)].sort((a, b) => b - a));
    const f1 = (await rows({ layerIndex: 3, filter: '/many/f1', limit: 5 })).rows.find(
      (row) => row.path === '/many/f1',
    );
    expect(f1).toMatchObject({ kind: 'file', size: 16, mode: 0o644, uid: 0, gid: 0, status: 'unchanged' });
  });

  it('answers a second read from the cache, and reads a saved archive to the same figures', async () => {
    const again = await finish((await call<{ jobId: string }>('layers.analyzeImage', { image: TAG })).jobId);
    expect(again.data).toMatchObject({ analysisId: opened.analysisId, cached: true });

    const fromFile = await finish(
      (await call<{ jobId: string }>('layers.analyzeArchive', { path: archivePath })).jobId,
    );
    const file = fromFile.data as LayersOpened;
    expect(file.cached).toBe(false);
    expect(file.analysisId).not.toBe(opened.analysisId);
    const { analysisId: _a, source, ...figures } = file.summary;
    const { analysisId: _b, source: _s, ...engineFigures } = opened.summary;
    expect(source).toEqual({ kind: 'archive', path: archivePath });
    // The file was saved by name (tagged manifest), the engine read by ID: only those bytes differ.
    expect({ ...figures, repoTags: [], bytesRead: 0 }).toEqual({ ...engineFigures, repoTags: [], bytesRead: 0 });
    expect(figures.repoTags).toEqual([TAG]);
    const page = await call<FileTreePage>('layers.rows', { analysisId: file.analysisId, layerIndex: 3, limit: 5000 });
    expect(page.rows).toEqual(core({ layer: 3 }));
  });

  it('cancels a read: the job ends cancelled and nothing is cached', async () => {
    services.analyses.clear();
    const { jobId } = await call<{ jobId: string }>('layers.analyzeImage', { image: TAG });
    await call('jobs.cancel', { jobId });
    const end = await finish(jobId);
    expect(end.type).toBe('cancelled');
    expect(services.analyses.size).toBe(0);
    const old = await failure('layers.rows', { analysisId: opened.analysisId, layerIndex: 0 });
    expect(old.code).toBe('not-found');
  });

  it('says clearly what is wrong with a request', async () => {
    expect((await failure('layers.analyzeImage', { image: 'strata-it-layers-ipc/none:1' })).code).toBe('not-found');
    expect(await failure('layers.analyzeArchive', { path: 'relative/x.tar' })).toMatchObject({ code: 'invalid-input' });
    expect(await failure('layers.analyzeArchive', { path: join(dir, 'missing.tar') })).toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('missing.tar'),
    });
    expect((await failure('layers.analyzeArchive', { path: dir })).message).toMatch(/is a folder/);
    // Neither a device nor a pipe is a folder, and neither is read (a pipe would wait for a writer forever).
    expect((await failure('layers.analyzeArchive', { path: '/dev/null' })).message).toBe(
      '/dev/null is a device, not an image archive file.',
    );
    const fifo = join(dir, 'pipe.tar');
    execFileSync('mkfifo', [fifo]);
    expect((await failure('layers.analyzeArchive', { path: fifo })).message).toMatch(
      /is a named pipe, not an image archive file/,
    );
    const notTar = join(dir, 'not-an-archive.tar');
    writeFileSync(notTar, 'hello, not a tar\n'.repeat(100));
    const bad = await finish((await call<{ jobId: string }>('layers.analyzeArchive', { path: notTar })).jobId);
    expect(bad).toMatchObject({ type: 'error', data: { code: 'invalid-input' } });
    expect((bad.data as { message: string }).message).toContain('not an image archive');

    const fresh = await finish((await call<{ jobId: string }>('layers.analyzeArchive', { path: archivePath })).jobId);
    const { analysisId } = fresh.data as LayersOpened;
    expect(await failure('layers.rows', { analysisId, layerIndex: 4 })).toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('4 layers'),
    });
    expect((await failure('layers.rows', { analysisId, layerIndex: 0, limit: 10_000 })).code).toBe('invalid-input');
    expect((await failure('layers.rows', { analysisId, layerIndex: 0, extra: 1 })).code).toBe('invalid-input');
  });

  it('keeps the last few analyses within a bound on tar entries, newest always kept', () => {
    const entries = expected.tree.entries.length;
    const source = { kind: 'archive' as const, path: '/x.tar' };
    const byCount = new AnalysisCache({ maxEntries: 2 });
    const a = byCount.add({ key: 'a', source, analyzed: expected });
    byCount.add({ key: 'b', source, analyzed: expected });
    expect(byCount.getById(a.analysisId)).toBe(a); // a is now the most recently used
    byCount.add({ key: 'c', source, analyzed: expected });
    expect([byCount.getByKey('a'), byCount.getByKey('b'), byCount.getByKey('c')].map(Boolean)).toEqual([
      true,
      false,
      true,
    ]);
    const bySize = new AnalysisCache({ maxEntries: 10, maxEntriesTotal: entries + 1 });
    bySize.add({ key: 'a', source, analyzed: expected });
    const b = bySize.add({ key: 'b', source, analyzed: expected });
    expect(bySize.size).toBe(1);
    expect(bySize.getByKey('b')).toBe(b);
    const tiny = new AnalysisCache({ maxEntriesTotal: 1 });
    tiny.add({ key: 'big', source, analyzed: expected });
    expect(tiny.size).toBe(1);
  });
});
