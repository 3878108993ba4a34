import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { chooseDockerfile } from '../../../src-renderer/components/context/choose-dockerfile';
import { BROWSER_DROP_MESSAGE, droppedPath } from '../../../src-renderer/components/context/dropped-path';
import {
  localRegistry,
  normalizeRepository,
  splitReference,
} from '../../../src-renderer/components/editor/local-registry';
import { lspDocument, offsetAt, positionAt } from '../../../src-renderer/components/editor/lsp-text';
import { baseName, isAbsolutePath, isSameOrInside, joinPath, relativeInside } from '../../../src-renderer/lib/paths';

describe('LSP positions over CodeMirror text', () => {
  const doc = Text.of(['FROM a', 'RUN echo 😀 done', '']);

  it('converts both ways in UTF-16 units, clamping out-of-range positions', () => {
    expect(offsetAt(doc, { line: 1, character: 4 })).toBe(11);
    expect(positionAt(doc, 11)).toEqual({ line: 1, character: 4 });
    const afterEmoji = doc.line(2).from + 'RUN echo 😀'.length;
    expect(positionAt(doc, afterEmoji)).toEqual({ line: 1, character: 11 });
    expect(offsetAt(doc, { line: 1, character: 999 })).toBe(doc.line(2).to);
    expect(offsetAt(doc, { line: 9, character: 0 })).toBe(doc.length);
    expect(offsetAt(doc, { line: -1, character: 3 })).toBe(0);
  });

  it('serves the language service a document over the same text', () => {
    const lsp = lspDocument(doc);
    expect(lsp.lineCount).toBe(3);
    expect(lsp.getText()).toBe(doc.toString());
    expect(lsp.getText({ start: { line: 1, character: 0 }, end: { line: 1, character: 3 } })).toBe('RUN');
    expect(lsp.positionAt(lsp.offsetAt({ line: 1, character: 2 }))).toEqual({ line: 1, character: 2 });
  });
});

describe('local registry', () => {
  it('splits references and matches Docker Hub short names', async () => {
    expect(splitReference('localhost:5000/team/app:v2')).toEqual({ repository: 'localhost:5000/team/app', tag: 'v2' });
    expect(splitReference('localhost:5000/team/app')).toEqual({
      repository: 'localhost:5000/team/app',
      tag: undefined,
    });
    expect(splitReference('busybox@sha256:abc')).toEqual({ repository: 'busybox', tag: undefined });
    expect(normalizeRepository('docker.io/library/BusyBox')).toBe('busybox');
    const registry = localRegistry(() => [
      'busybox:1.36',
      'busybox:latest',
      'docker.io/library/busybox:musl',
      'other/busybox:x',
    ]);
    expect(await registry.getTags('library/busybox')).toEqual(['1.36', 'latest', 'musl']);
    expect(await registry.getTags('busybox', 'l')).toEqual(['latest']);
    expect(await registry.getTags('nothing')).toEqual([]);
  });
});

describe('paths in the renderer', () => {
  it('joins, relates and names paths with either separator', () => {
    expect(joinPath('/work/app/', 'Dockerfile')).toBe('/work/app/Dockerfile');
    expect(joinPath('/work/app', './docker/prod.Dockerfile')).toBe('/work/app/docker/prod.Dockerfile');
    expect(joinPath('/work/app', '/elsewhere/Dockerfile')).toBe('/elsewhere/Dockerfile');
    expect(joinPath('/', 'Dockerfile')).toBe('/Dockerfile');
    expect(joinPath('C:\\work\\app', 'Dockerfile')).toBe('C:\\work\\app\\Dockerfile');
    expect(isAbsolutePath('C:/x')).toBe(true);
    expect(isAbsolutePath('x/y')).toBe(false);
    expect(relativeInside('/work/app', '/work/app/docker/Dockerfile')).toBe('docker/Dockerfile');
    expect(relativeInside('/work/app/', '/work/app/Dockerfile')).toBe('Dockerfile');
    expect(relativeInside('/work/app', '/work/app2/Dockerfile')).toBeUndefined();
    expect(relativeInside('/work/app', '/work/app')).toBeUndefined();
    expect(baseName('/work/app/prod.Dockerfile')).toBe('prod.Dockerfile');
    expect(baseName('C:\\work\\Containerfile')).toBe('Containerfile');
  });

  it('tells a change to the context folder or anything inside it from one beside it', () => {
    expect(isSameOrInside('/work/app', '/work/app')).toBe(true);
    expect(isSameOrInside('/work/app/', '/work/app')).toBe(true);
    expect(isSameOrInside('/work/app', '/work/app/')).toBe(true);
    expect(isSameOrInside('/work/app', '/work/app/src/main.go')).toBe(true);
    expect(isSameOrInside('C:\\work\\app', 'C:\\work\\app\\Dockerfile')).toBe(true);
    expect(isSameOrInside('/work/app', '/work/app2/Dockerfile')).toBe(false);
    expect(isSameOrInside('/work/app', '/work')).toBe(false);
    expect(isSameOrInside('/', '/etc/hosts')).toBe(true);
  });
});

describe('choosing the Dockerfile of a context', () => {
  it('prefers the dropped file, then the remembered or last built one, then the only candidate', () => {
    const candidates = ['Dockerfile', 'prod.Dockerfile'];
    expect(chooseDockerfile({ candidates, dropped: 'prod.Dockerfile', remembered: 'Dockerfile' })).toBe(
      'prod.Dockerfile',
    );
    expect(chooseDockerfile({ candidates, remembered: 'prod.Dockerfile' })).toBe('prod.Dockerfile');
    expect(chooseDockerfile({ candidates, remembered: 'gone.Dockerfile', lastBuilt: 'Dockerfile' })).toBe('Dockerfile');
    expect(chooseDockerfile({ candidates, lastBuilt: 'docker/Dockerfile' })).toBe('docker/Dockerfile');
    expect(chooseDockerfile({ candidates })).toBeUndefined();
    expect(chooseDockerfile({ candidates: ['Containerfile'] })).toBe('Containerfile');
    expect(chooseDockerfile({ candidates: [] })).toBe('Dockerfile');
  });
});

describe('dropped folders', () => {
  const file = { name: 'project' } as File;
  const transfer = { files: Object.assign([file], { item: () => file }) as unknown as FileList };

  it('asks the desktop preload for the path, and tells the browser user to type it', () => {
    expect(droppedPath(transfer, { pathForFile: () => '/home/me/project' })).toEqual({ path: '/home/me/project' });
    expect(droppedPath(transfer, undefined)).toEqual({ message: BROWSER_DROP_MESSAGE });
    expect(droppedPath(transfer, { pathForFile: () => '' })).toMatchObject({
      message: expect.stringContaining('"project"'),
    });
    expect(droppedPath({ files: [] as unknown as FileList }, undefined)).toMatchObject({
      message: expect.stringContaining('Nothing'),
    });
  });
});
