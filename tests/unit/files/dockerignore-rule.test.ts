import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanContext } from '../../../src-main/core/context/context-scan';
import { addDockerignoreRule } from '../../../src-main/core/files/dockerignore-rule';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'strata-ignore-rule-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('addDockerignoreRule', () => {
  it('creates the file when missing, and the rule takes effect in the next scan', async () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'pkg', 'index.js'), 'x');
    const before = await scanContext({ contextDir: dir });
    expect(before.warnings.map((w) => w.suggestedRule)).toContain('node_modules');

    const added = await addDockerignoreRule({ file: join(dir, '.dockerignore'), rule: 'node_modules' });
    expect(added).toEqual({ path: join(dir, '.dockerignore'), added: true, line: 1 });
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe('node_modules\n');

    const after = await scanContext({ contextDir: dir });
    expect(after.excluded).toBe(before.excluded + 1);
    expect(after.excludedBy).toEqual([{ pattern: 'node_modules', line: 1, count: 1 }]);
    expect(after.warnings.map((w) => w.code)).not.toContain('node-modules-included');
    expect(readdirSync(dir).sort()).toEqual(['.dockerignore', 'Dockerfile', 'node_modules']);
  });

  it('appends after a last line without a newline, keeps CRLF files CRLF, and numbers the line', async () => {
    const file = join(dir, '.dockerignore');
    writeFileSync(file, '# comment\n*.log');
    expect(await addDockerignoreRule({ file, rule: '  .git  ' })).toMatchObject({ added: true, line: 3 });
    expect(readFileSync(file, 'utf8')).toBe('# comment\n*.log\n.git\n');

    writeFileSync(file, 'a\r\nb\r\n');
    expect(await addDockerignoreRule({ file, rule: 'c' })).toMatchObject({ added: true, line: 3 });
    expect(readFileSync(file, 'utf8')).toBe('a\r\nb\r\nc\r\n');
  });

  it('does nothing when the rule is already there', async () => {
    const file = join(dir, '.dockerignore');
    writeFileSync(file, '*.log\n.git\n');
    expect(await addDockerignoreRule({ file, rule: '.git' })).toEqual({ path: file, added: false, line: 2 });
    expect(readFileSync(file, 'utf8')).toBe('*.log\n.git\n');
  });

  it('refuses a rule Docker would reject, or more than one line, writing nothing', async () => {
    const file = join(dir, '.dockerignore');
    writeFileSync(file, '*.log\n');
    await expect(addDockerignoreRule({ file, rule: '!' })).rejects.toThrow(/line 2: illegal exclusion pattern/);
    await expect(addDockerignoreRule({ file, rule: 'a\nb' })).rejects.toThrow(/one non-empty line/);
    await expect(addDockerignoreRule({ file, rule: '   ' })).rejects.toThrow(/one non-empty line/);
    expect(readFileSync(file, 'utf8')).toBe('*.log\n');
  });
});
