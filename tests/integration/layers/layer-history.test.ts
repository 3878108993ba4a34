import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAnalyzeCommand } from '../../../src-main/cli/analyze-command';
import { listFileTreeRows } from '../../../src-main/core/layers/file-tree-rows';
import { analyzeImage } from '../../../src-main/core/layers/image-analysis';
import type { AnalyzedImage } from '../../../src-main/core/layers/image-analysis';
import { BUSYBOX, describeWithEngine, testDocker } from '../engine-available';

const TAG = `strata-it-layers/history:${process.pid}`;

// One kind of change per layer, so each layer's marks can be checked on their own.
const DOCKERFILE = `FROM ${BUSYBOX}
RUN mkdir -p /work/dir/sub /work/opq && echo one > /work/a.txt && echo bb > /work/b.txt && echo keep > /work/keep.txt && echo s1 > /work/dir/sub/s1 && echo s2 > /work/dir/s2 && echo old > /work/opq/old.txt
RUN echo overwritten-content > /work/a.txt
RUN chmod 600 /work/b.txt
RUN mv /work/keep.txt /work/moved.txt
RUN rm /work/a.txt
RUN rm -rf /work/dir
RUN rm -rf /work/opq && mkdir /work/opq && echo new > /work/opq/new.txt
`;

async function buildImage(docker: Docker): Promise<void> {
  const pack = tar.pack();
  pack.entry({ name: 'Dockerfile' }, DOCKERFILE);
  pack.finalize();
  // tar-stream's pack is a streamx Readable; dockerode only pipes it.
  const context = pack as unknown as NodeJS.ReadableStream;
  const stream: NodeJS.ReadableStream = await docker.buildImage(context, {
    t: TAG,
    networkmode: 'none',
    rm: true,
    forcerm: true,
  });
  const messages = await new Promise<{ error?: string }[]>((resolve, reject) => {
    docker.modem.followProgress(stream, (error, output) =>
      error ? reject(error) : resolve(output as { error?: string }[]),
    );
  });
  const failure = messages.find((message) => message.error);
  if (failure) throw new Error(`build failed: ${failure.error}`);
}

function workChanges(image: AnalyzedImage, layer: number): string[] {
  return listFileTreeRows(image.tree, { layer, changesOnly: true, filter: '/work', limit: 1000 }).rows.map(
    (row) => `${row.path} ${row.status}`,
  );
}

function comparable(image: AnalyzedImage) {
  const { analysis } = image;
  return {
    efficiency: analysis.efficiency,
    sizeBytes: analysis.sizeBytes,
    userSizeBytes: analysis.userSizeBytes,
    wastedBytes: analysis.wastedBytes,
    wastedUserPercent: analysis.wastedUserPercent,
    inefficientFiles: analysis.inefficientFiles,
    reclaimableBytes: analysis.reclaimableBytes,
    layers: analysis.layers.map(({ id, command, sizeBytes, fileCount }) => ({ id, command, sizeBytes, fileCount })),
    rows: analysis.layers.map((layer) => listFileTreeRows(image.tree, { layer: layer.index, limit: 5000 }).rows),
  };
}

describeWithEngine('layer file history against the engine', () => {
  let docker: Docker;
  let dir: string;
  let archivePath: string;
  let fromEngine: AnalyzedImage;
  let fromFile: AnalyzedImage;

  beforeAll(async () => {
    docker = await testDocker();
    dir = await mkdtemp(path.join(tmpdir(), 'strata-it-layers-'));
    await buildImage(docker);
    fromEngine = await analyzeImage(await docker.getImage(TAG).get(), { imageRef: TAG });
    archivePath = path.join(dir, 'history.tar');
    await pipeline(await docker.getImage(TAG).get(), createWriteStream(archivePath));
    fromFile = await analyzeImage(createReadStream(archivePath));
  });

  afterAll(async () => {
    if (docker)
      await docker
        .getImage(TAG)
        .remove({ force: true })
        .catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the same image through the engine stream and through a saved archive', () => {
    expect(fromEngine.analysis.layers).toHaveLength(8);
    expect(comparable(fromFile)).toEqual(comparable(fromEngine));
  });

  it('marks each layer’s added, modified and removed paths', () => {
    const image = fromEngine;
    expect(workChanges(image, 1)).toEqual([
      '/work added',
      '/work/a.txt added',
      '/work/b.txt added',
      '/work/dir added',
      '/work/dir/s2 added',
      '/work/dir/sub added',
      '/work/dir/sub/s1 added',
      '/work/keep.txt added',
      '/work/opq added',
      '/work/opq/old.txt added',
    ]);
    expect(workChanges(image, 2)).toEqual(['/work modified', '/work/a.txt modified']);
    expect(workChanges(image, 3)).toEqual(['/work modified', '/work/b.txt modified']);
    expect(workChanges(image, 4)).toEqual(['/work modified', '/work/keep.txt removed', '/work/moved.txt added']);
    expect(workChanges(image, 5)).toEqual(['/work modified', '/work/a.txt removed']);
    expect(workChanges(image, 6)).toEqual([
      '/work modified',
      '/work/dir removed',
      '/work/dir/s2 removed',
      '/work/dir/sub removed',
      '/work/dir/sub/s1 removed',
    ]);
    expect(workChanges(image, 7)).toEqual([
      '/work modified',
      '/work/opq modified',
      '/work/opq/new.txt added',
      '/work/opq/old.txt removed',
    ]);
    const b = listFileTreeRows(image.tree, { layer: 3, filter: '/work/b.txt' }).rows.find(
      (row) => row.path === '/work/b.txt',
    );
    expect(b).toMatchObject({ mode: 0o600, size: 3, kind: 'file' });
    // What is left after the last layer (removed rows are shown in the layer that removes them, then vanish).
    const final = listFileTreeRows(image.tree, { layer: 7, filter: '/work/', limit: 100 })
      .rows.filter((row) => row.status !== 'removed')
      .map((row) => row.path);
    expect(final).toEqual(['/work', '/work/b.txt', '/work/moved.txt', '/work/opq', '/work/opq/new.txt']);
  });

  it('recreating a directory writes an opaque marker that hides the old contents', () => {
    const layer7 = fromEngine.tree.entries
      .filter((_, id) => fromEngine.tree.entryLayer[id] === 7)
      .map((entry) => entry.path);
    // overlay2 records the recreated directory as opaque; a naive differ would write a whiteout per old file.
    expect(layer7.includes('/work/opq/.wh..wh..opq') || layer7.includes('/work/opq/.wh.old.txt')).toBe(true);
  });

  it('computes dive’s figures for the history', () => {
    const { analysis } = fromEngine;
    const base = analysis.layers[0]?.sizeBytes ?? 0;
    const opaque = fromEngine.tree.entries.some((entry) => entry.path === '/work/opq/.wh..wh..opq');
    // a.txt: 4 + 20 + a whiteout of a file (0); b.txt: 3 + 3; keep.txt: 5 + its whiteout (0); with a naive
    // differ old.txt would be whited out too (4 + 0).
    const wasted = 24 + 6 + 5 + (opaque ? 0 : 4);
    expect(analysis.layers.map((layer) => layer.sizeBytes).slice(1)).toEqual([22, 20, 3, 5, 0, 0, 4]);
    expect(analysis.userSizeBytes).toBe(54);
    expect(analysis.sizeBytes).toBe(base + 54);
    expect(analysis.wastedBytes).toBe(wasted);
    expect(analysis.wastedUserPercent).toBe(wasted / 54);
    expect(analysis.inefficientFiles.slice(0, 3)).toEqual([
      { path: '/work/a.txt', count: 3, wastedBytes: 24 },
      { path: '/work/b.txt', count: 2, wastedBytes: 6 },
      { path: '/work/keep.txt', count: 2, wastedBytes: 5 },
    ]);
    // Σ min / Σ cumulative: the base's files once each, then min and total per repeated or deleted path.
    const minimum = base + 0 + 3 + 0 + 5 + 3 + 3 + 6 + 4 + 4;
    const total = base + 24 + 6 + 5 + 5 + 3 + 3 + 6 + 4 + 4;
    expect(analysis.efficiency).toBe(opaque ? minimum / total : (minimum - 4) / total);
    // Reclaimable: both a.txt copies, the first b.txt, keep.txt, s1, s2 and old.txt.
    expect(analysis.reclaimableBytes).toBe(24 + 3 + 5 + 3 + 3 + 4);
    expect(analysis.layers.map((layer) => layer.command).slice(1, 3)).toEqual([
      expect.stringContaining('mkdir -p /work/dir/sub'),
      'echo overwritten-content > /work/a.txt',
    ]);
  });

  it('strata analyze gives the same JSON for the image name and for the saved archive', async () => {
    const run = async (target: string) => {
      let out = '';
      const stdout = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          out += chunk.toString();
          callback();
        },
      });
      const code = await runAnalyzeCommand(
        [target, '--json', '--ci', '--lowest-efficiency=0.5', '--highest-wasted-bytes=1kB'],
        {
          stdout,
          stderr: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
        },
      );
      const { image: _image, ...json } = JSON.parse(out) as Record<string, unknown>;
      return { code, json };
    };
    const engine = await run(TAG);
    const file = await run(archivePath);
    expect(engine.code).toBe(1);
    expect(engine).toEqual(file);
    expect(engine.json).toMatchObject({ ci: { pass: false }, userSizeBytes: 54 });
  });

  it('cancels a read from the engine', async () => {
    const controller = new AbortController();
    const stream = await docker.getImage(TAG).get();
    const reading = analyzeImage(stream, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect((stream as unknown as { destroyed: boolean }).destroyed).toBe(true);
  });
});
