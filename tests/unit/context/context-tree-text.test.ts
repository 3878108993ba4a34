import { describe, expect, it } from 'vitest';
import { rowStatus } from '../../../src-renderer/components/context/context-tree-text';
import type { ContextTreeRow } from '../../../src-main/ipc/contract/context';

const base: ContextTreeRow = {
  path: 'x',
  name: 'x',
  depth: 0,
  kind: 'file',
  sent: true,
  onDisk: true,
  sentBytes: 1,
  excludedBytes: 0,
  sentFiles: 1,
  excludedFiles: 0,
  changes: 0,
  hasChildren: false,
  expanded: false,
};

describe('how a context tree row explains itself', () => {
  it('names the rule and the line of the ignore file in effect', () => {
    const rule = { pattern: 'docs', line: 3, forced: false };
    expect(rowStatus({ ...base, sent: false, rule }, 'Dockerfile.dockerignore')).toMatchObject({
      tone: 'excluded',
      rule: 'docs',
      where: 'Dockerfile.dockerignore line 3',
    });
    expect(rowStatus({ ...base, rule: { pattern: '!docs/a', line: 4, forced: false } }, '.dockerignore')).toMatchObject(
      { tone: 'reincluded', badge: 're-included', where: '.dockerignore line 4' },
    );
  });

  it('says when a folder is not entered, when the build keeps a file, and when a file is gone', () => {
    const inside = rowStatus(
      {
        ...base,
        path: 'node_modules/a/keep.txt',
        sent: false,
        rule: { pattern: 'node_modules', line: 1, forced: false },
        skippedBy: 'node_modules',
        unreached: { pattern: '!**/keep.txt', line: 2, forced: false },
      },
      '.dockerignore',
    );
    expect(inside.note).toBe('folder not entered: !**/keep.txt cannot reach it');
    expect(inside.title).toContain('Docker does not look inside it');
    expect(rowStatus({ ...base, rule: { pattern: '!Dockerfile', forced: true } }, '.dockerignore')).toMatchObject({
      tone: 'forced',
      where: 'added by the build',
    });
    expect(rowStatus({ ...base, onDisk: false, sent: false }, '.dockerignore').tone).toBe('removed');
    expect(rowStatus(base, '.dockerignore')).toEqual({ tone: 'sent', title: 'x is sent.' });
  });
});
