import { beforeAll, describe, expect, it } from 'vitest';
import { findFileTreeRow, listFileTreeRows, listFolderRows } from '../../../src-main/core/layers/file-tree-rows';
import type { FileTreeQuery } from '../../../src-main/core/layers/file-tree-rows';
import { analyzeImageArchive } from '../../../src-main/core/layers/image-analysis';
import type { AnalyzedImage } from '../../../src-main/core/layers/image-analysis';
import { readImageArchive } from '../../../src-main/core/layers/image-archive-reader';
import { summarizeLayerChanges } from '../../../src-main/core/layers/layer-changes';
import { chunked, layerTar, legacyArchive } from './archive-helpers';

// Each layer does one kind of thing to the files, as a Dockerfile RUN would.
async function historyImage(): Promise<Buffer> {
  const layers = [
    await layerTar([
      { dir: 'etc' },
      { dir: 'etc/app' },
      { file: 'etc/app/a.conf', content: 'A' },
      { file: 'etc/app/b.conf', content: 'BB' },
      { dir: 'usr' },
      { dir: 'usr/lib' },
      { file: 'usr/lib/x.so', content: 'xxxx' },
      { file: 'usr/lib/y.so', content: 'yy' },
      { dir: 'bin' },
      { file: 'bin/sh', content: 'sh', mode: 0o755 },
      { hardlink: 'bin/ash', target: 'bin/sh' },
      { symlink: 'bin/link', target: '/bin/sh' },
      { dir: 'opt' },
      { dir: 'opt/old' },
      { file: 'opt/old/f1', content: '1' },
      { file: 'opt/old/f2', content: '22' },
      { dir: 'data' },
      { file: 'data/keep', content: 'k' },
    ]),
    // overwrite a.conf, chmod b.conf, move data/keep to data/moved
    await layerTar([
      { dir: 'etc' },
      { dir: 'etc/app' },
      { file: 'etc/app/a.conf', content: 'AAA' },
      { file: 'etc/app/b.conf', content: 'BB', mode: 0o600 },
      { dir: 'data' },
      { file: 'data/.wh.keep' },
      { file: 'data/moved', content: 'k' },
    ]),
    // delete a file, delete a directory
    await layerTar([{ dir: 'usr' }, { dir: 'usr/lib' }, { file: 'usr/lib/.wh.y.so' }, { file: '.wh.opt' }]),
    // recreate /etc/app as an opaque directory
    await layerTar([
      { dir: 'etc' },
      { dir: 'etc/app' },
      { file: 'etc/app/.wh..wh..opq' },
      { file: 'etc/app/new.conf', content: 'N' },
    ]),
    // rewrite data/moved with the same bytes; add a file whose parents have no headers
    await layerTar([
      { dir: 'data' },
      { file: 'data/moved', content: 'k' },
      { file: 'newdir/deep/file', content: 'ff' },
    ]),
  ];
  return legacyArchive(layers, ['base', 'edit', 'delete', 'opaque', 'rewrite']);
}

function rows(image: AnalyzedImage, query: FileTreeQuery) {
  return listFileTreeRows(image.tree, { limit: 1000, ...query }).rows.map((row) => `${row.path} ${row.status}`);
}

describe('per-layer file tree', () => {
  let image: AnalyzedImage;
  beforeAll(async () => {
    image = analyzeImageArchive(await readImageArchive(chunked(await historyImage(), 999)));
  });

  it('marks everything added in the first layer, with folder sizes', () => {
    const page = listFileTreeRows(image.tree, { layer: 0, limit: 1000 });
    expect(page.rows.every((row) => row.status === 'added')).toBe(true);
    const size = (path: string) => page.rows.find((row) => row.path === path)?.size;
    expect([size('/etc'), size('/etc/app'), size('/usr/lib'), size('/bin'), size('/opt')]).toEqual([3, 3, 6, 2, 3]);
    expect(page.rows.map((row) => row.path).slice(0, 4)).toEqual(['/bin', '/bin/ash', '/bin/link', '/bin/sh']);
    expect(page.rows.find((row) => row.path === '/bin/ash')).toMatchObject({
      kind: 'hardlink',
      linkTarget: 'bin/sh',
      size: 0,
    });
    expect(page.rows.find((row) => row.path === '/bin/link')).toMatchObject({ kind: 'symlink', linkTarget: '/bin/sh' });
    expect(page.rows.find((row) => row.path === '/bin/sh')).toMatchObject({ mode: 0o755, uid: 0, gid: 0, depth: 1 });
  });

  it('marks overwrite and chmod as modified, and a move as removed + added', () => {
    expect(rows(image, { layer: 1, changesOnly: true })).toEqual([
      '/data modified',
      '/data/keep removed',
      '/data/moved added',
      '/etc modified',
      '/etc/app modified',
      '/etc/app/a.conf modified',
      '/etc/app/b.conf modified',
    ]);
    expect(image.tree.snapshot(1).counts).toEqual({ added: 1, modified: 2, removed: 1 });
    // Unchanged paths are still part of the tree after the layer.
    expect(rows(image, { layer: 1, filter: 'usr' })).toEqual([
      '/usr unchanged',
      '/usr/lib unchanged',
      '/usr/lib/x.so unchanged',
      '/usr/lib/y.so unchanged',
    ]);
  });

  it('marks a deleted file and a deleted directory (with its contents) as removed', () => {
    expect(rows(image, { layer: 2, changesOnly: true })).toEqual([
      '/opt removed',
      '/opt/old removed',
      '/opt/old/f1 removed',
      '/opt/old/f2 removed',
      '/usr modified',
      '/usr/lib modified',
      '/usr/lib/y.so removed',
    ]);
    const opt = listFileTreeRows(image.tree, { layer: 2, filter: '/opt', limit: 10 }).rows[0];
    expect(opt).toMatchObject({ path: '/opt', status: 'removed', size: 3 });
    // Only this layer's tar entries: the whiteouts' targets, not the files they took with them.
    expect(rows(image, { layer: 2, layerEntriesOnly: true })).toEqual([
      '/opt removed',
      '/usr modified',
      '/usr/lib modified',
      '/usr/lib/y.so removed',
    ]);
    expect(rows(image, { layer: 3, filter: '/opt' })).toEqual([]);
  });

  it('hides what an opaque directory had below it', () => {
    expect(rows(image, { layer: 3, filter: '/etc' })).toEqual([
      '/etc modified',
      '/etc/app modified',
      '/etc/app/a.conf removed',
      '/etc/app/b.conf removed',
      '/etc/app/new.conf added',
    ]);
    expect(rows(image, { layer: 4, filter: '/etc' })).toEqual([
      '/etc unchanged',
      '/etc/app unchanged',
      '/etc/app/new.conf unchanged',
    ]);
  });

  it('tells a rewrite with the same bytes from a change, and creates parents that have no header', () => {
    expect(rows(image, { layer: 4, layerEntriesOnly: true })).toEqual([
      '/data unchanged',
      '/data/moved unchanged',
      '/newdir added',
      '/newdir/deep added',
      '/newdir/deep/file added',
    ]);
    expect(listFileTreeRows(image.tree, { layer: 4, filter: 'newdir', limit: 5 }).rows[0]).toMatchObject({
      kind: 'directory',
      size: 2,
    });
  });

  it('counts each layer’s file changes for the layer list', () => {
    expect(summarizeLayerChanges(image.tree).map(({ added, modified, removed }) => [added, modified, removed])).toEqual(
      [
        [10, 0, 0],
        [1, 2, 1],
        [0, 0, 3],
        [1, 0, 2],
        [1, 0, 0],
      ],
    );
  });

  it('collapses folders, sorts by size, pages, and finds rows', () => {
    const collapsed = listFileTreeRows(image.tree, { layer: 0, collapsed: ['/etc', '/usr', '/bin', '/opt', '/data'] });
    expect(collapsed.rows.map((row) => [row.path, row.collapsed, row.hasChildren])).toEqual([
      ['/bin', true, true],
      ['/data', true, true],
      ['/etc', true, true],
      ['/opt', true, true],
      ['/usr', true, true],
    ]);
    const bySize = listFileTreeRows(image.tree, {
      layer: 0,
      sortBy: 'size',
      collapsed: ['/etc', '/usr', '/bin', '/opt', '/data'],
    });
    expect(bySize.rows.map((row) => `${row.path} ${row.size}`)).toEqual([
      '/usr 6',
      '/etc 3',
      '/opt 3',
      '/bin 2',
      '/data 1',
    ]);
    const all = listFileTreeRows(image.tree, { layer: 0, limit: 1000 });
    const page = listFileTreeRows(image.tree, { layer: 0, offset: 5, limit: 3 });
    expect(page.total).toBe(all.total);
    expect(page.rows).toEqual(all.rows.slice(5, 8));
    // Each row names its folder's row: the row whose path is its own less the last name.
    for (const [index, row] of all.rows.entries()) {
      const folder = row.path.slice(0, row.path.lastIndexOf('/'));
      if (row.depth === 0) expect(row.parentIndex).toBeUndefined();
      else expect(all.rows[row.parentIndex!]?.path, `${row.path} at ${index}`).toBe(folder);
    }
    expect(findFileTreeRow(image.tree, { layer: 0 }, '/usr/lib/y.so')).toBe(
      all.rows.findIndex((row) => row.path === '/usr/lib/y.so'),
    );
    expect(findFileTreeRow(image.tree, { layer: 3 }, '/opt')).toBe(-1);
    const folder = listFolderRows(image.tree, { layer: 0, folder: '/usr/lib' });
    expect(folder.rows.map((row) => [row.path, row.depth])).toEqual([
      ['/usr/lib/x.so', 2],
      ['/usr/lib/y.so', 2],
    ]);
    expect(listFolderRows(image.tree, { layer: 0, folder: '/' }).total).toBe(5);
    expect(() => listFileTreeRows(image.tree, { layer: 9 })).toThrow(RangeError);
  });

  it('counts reclaimable bytes as the copies the final image no longer uses', () => {
    const { analysis } = image;
    expect(
      analysis.reclaimableFiles.map((file) => `${file.path} ${file.copies} ${file.bytes} ${file.inFinalImage}`),
    ).toEqual([
      '/etc/app/a.conf 2 4 false',
      '/etc/app/b.conf 2 4 false',
      '/opt/old/f2 1 2 false',
      '/usr/lib/y.so 1 2 false',
      '/data/keep 1 1 false',
      '/data/moved 1 1 true',
      '/opt/old/f1 1 1 false',
    ]);
    expect(analysis.reclaimableBytes).toBe(15);
    expect(analysis.layers.map((layer) => layer.reclaimableBytes)).toEqual([9, 6, 0, 0, 0]);
  });
});

describe('file tree edge cases', () => {
  it('drops a folder’s contents when a later layer puts a file at its path', async () => {
    const archive = await legacyArchive(
      [
        await layerTar([{ dir: 'x' }, { file: 'x/inside', content: 'abc' }]),
        await layerTar([{ file: 'x', content: 'now a file' }]),
      ],
      ['a', 'b'],
    );
    const image = analyzeImageArchive(await readImageArchive(chunked(archive, 4096)));
    expect(rows(image, { layer: 1 })).toEqual(['/x modified', '/x/inside removed']);
    expect(listFileTreeRows(image.tree, { layer: 1 }).rows[0]).toMatchObject({ kind: 'file', size: 10 });
  });

  it('without content digests, a rewrite is modified when its mtime changed', async () => {
    const first = await layerTar([{ file: 'f', content: 'same' }]);
    // Same bytes, later mtime: rewrite the header's mtime field and checksum by hand.
    const second = Buffer.from(first);
    second.write('15000000000\0', 136, 'latin1');
    second.fill(0x20, 148, 156);
    let sum = 0;
    for (const byte of second.subarray(0, 512)) sum += byte;
    second.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const archive = await legacyArchive([first, second], ['a', 'b']);
    const hashed = analyzeImageArchive(await readImageArchive(chunked(archive, 4096)));
    expect(rows(hashed, { layer: 1 })).toEqual(['/f unchanged']);
    const unhashed = analyzeImageArchive(await readImageArchive(chunked(archive, 4096), { contentDigest: false }));
    expect(rows(unhashed, { layer: 1 })).toEqual(['/f modified']);
  });
});
