import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { imageRows, splitRepoTag } from '../../../src-main/core/images/list-images';

const image = (id: string, tags: string[] | null, digests: string[] | null = []): Docker.ImageInfo =>
  ({
    Id: id,
    ParentId: '',
    RepoTags: tags,
    RepoDigests: digests,
    Created: 1700000000,
    Size: 1984234,
    VirtualSize: 1984234,
    SharedSize: -1,
    Labels: null,
    Containers: -1,
  }) as unknown as Docker.ImageInfo;

describe('imageRows', () => {
  it('makes one row per tag, grouped by image ID', () => {
    const rows = imageRows(
      [image('sha256:aaa111222333444', ['app:1', 'app:latest', 'registry:5000/app:1'])],
      new Map(),
    );
    expect(rows.map((r) => [r.repository, r.tag])).toEqual([
      ['app', '1'],
      ['app', 'latest'],
      ['registry:5000/app', '1'],
    ]);
    expect(new Set(rows.map((r) => r.imageId)).size).toBe(1);
    expect(rows.every((r) => r.tagCount === 3 && !r.dangling && r.shortId === 'aaa111222333')).toBe(true);
  });

  it('shows dangling images as <none>:<none> (engine sends ["<none>:<none>"] or nothing)', () => {
    const rows = imageRows(
      [image('sha256:d1', ['<none>:<none>'], ['<none>@<none>']), image('sha256:d2', null, null)],
      new Map([['sha256:d1', 2]]),
    );
    expect(rows.map((r) => [r.repository, r.tag, r.dangling, r.reference, r.containers])).toEqual([
      ['<none>', '<none>', true, 'sha256:d1', 2],
      ['<none>', '<none>', true, 'sha256:d2', 0],
    ]);
  });

  it('gives a repository known only by digest a row with tag <none>, as docker images does', () => {
    const rows = imageRows([image('sha256:x', [], ['busybox@sha256:abc'])], new Map());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      repository: 'busybox',
      tag: '<none>',
      reference: 'busybox@sha256:abc',
      dangling: true,
    });
  });

  it('splits repository and tag at the last colon after the last slash', () => {
    expect(splitRepoTag('localhost:5000/app:1.0')).toEqual(['localhost:5000/app', '1.0']);
    expect(splitRepoTag('localhost:5000/app')).toEqual(['localhost:5000/app', '<none>']);
  });
});
