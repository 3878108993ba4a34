import { execFileSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { scanContext, type ContextScan } from '../../../src-main/core/context/context-scan';
import { mkfifo } from './mkfifo';
import { removeTrees, tempTree } from './temp-tree';

afterEach(removeTrees);

const paths = (scan: ContextScan): string[] => scan.entries.map((e) => e.path);

describe('special files', () => {
  it('sends a named pipe as a fifo entry without opening it', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n' });
    mkfifo(path.join(dir, 'pipe'));
    const scan = await scanContext({ contextDir: dir });
    expect(scan.entries.find((e) => e.path === 'pipe')).toMatchObject({ type: 'fifo', size: 0 });
  });

  it('leaves sockets out with a warning', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n' });
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'sock'), resolve));
    try {
      const scan = await scanContext({ contextDir: dir });
      expect(paths(scan)).toEqual(['Dockerfile']);
      expect(scan.warnings.map((w) => w.code)).toEqual(['sockets-skipped']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('errors before anything is sent', () => {
  it('names a missing context directory', async () => {
    await expect(scanContext({ contextDir: '/nonexistent/strata-ctx' })).rejects.toMatchObject({
      code: 'not-found',
      message: 'unable to prepare context: path "/nonexistent/strata-ctx" not found',
    });
  });

  it('rejects a file given as the context', async () => {
    const dir = await tempTree({ file: 'x' });
    await expect(scanContext({ contextDir: path.join(dir, 'file') })).rejects.toThrow('context must be a directory');
  });

  it('names a missing Dockerfile', async () => {
    const dir = await tempTree({ app: 'x' });
    await expect(scanContext({ contextDir: dir })).rejects.toThrow(
      `Cannot locate Dockerfile: "${path.join(dir, 'Dockerfile')}"`,
    );
  });

  it('names the line of a bad .dockerignore pattern', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'ok\n\n!\n' });
    await expect(scanContext({ contextDir: dir })).rejects.toMatchObject({
      code: 'invalid-input',
      message: '.dockerignore: line 3: illegal exclusion pattern: "!"',
    });
  });

  it('names the line of a pattern Go cannot compile when the walk reaches it', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'a\n[Local-Only]/\n', x: '1' });
    await expect(scanContext({ contextDir: dir })).rejects.toThrow(
      '.dockerignore: line 2: syntax error in pattern: "[Local-Only]"',
    );
  });

  it('stops at once when aborted', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', 'a/b': 'x' });
    const controller = new AbortController();
    controller.abort();
    await expect(scanContext({ contextDir: dir, signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});

/**
 * Unreadable files. Root reads anything whatever its mode (CAP_DAC_OVERRIDE), so as root the scan runs
 * in a child process started through util-linux `setpriv` without the two capabilities that bypass file
 * permissions: still uid 0 (so it can read the repository it runs from), but `chmod 000` now bites as it
 * does for a normal user. Not root: the child runs as it is.
 */
async function scanAsUnprivileged(
  dir: string,
): Promise<{ ok: boolean; message?: string; code?: string; path?: string }> {
  const script = `
    import { scanContext } from ${JSON.stringify(path.resolve('src-main/core/context/context-scan.ts'))};
    try {
      const scan = await scanContext({ contextDir: ${JSON.stringify(dir)} });
      console.log(JSON.stringify({ ok: true, paths: scan.entries.map((e) => e.path) }));
    } catch (err) {
      console.log(JSON.stringify({ ok: false, message: err.message, code: err.code, path: err.details?.path }));
    }`;
  const file = path.join(await tempTree({}), 'probe.mts');
  await writeFile(file, script);
  // The probe runs outside the repository, so tsx is told where the `$shared/…` paths are declared.
  const tsconfig = ['--tsconfig', path.resolve('tsconfig.json')];
  const node = [process.execPath, path.resolve('node_modules/tsx/dist/cli.mjs'), ...tsconfig, file];
  const drop = ['--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search'];
  const [cmd, ...args] = process.getuid?.() === 0 ? ['setpriv', ...drop, ...node] : node;
  const out = execFileSync(cmd as string, args, { encoding: 'utf8', cwd: path.dirname(file) });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

describe('unreadable files (docker/cli ValidateContextDirectory)', () => {
  it('fails naming the unreadable file', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', 'sub/secret': 'x', 'sub/fine': 'y' });
    await chmod(path.join(dir, 'sub/secret'), 0o000);
    const result = await scanAsUnprivileged(dir);
    expect(result).toEqual({
      ok: false,
      code: 'forbidden',
      message: `error checking context: no permission to read from '${path.join(dir, 'sub/secret')}'`,
      path: 'sub/secret',
    });
  });

  it('fails naming an unreadable folder', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', 'locked/x': 'x' });
    await chmod(path.join(dir, 'locked'), 0o000);
    const result = await scanAsUnprivileged(dir);
    expect(result).toMatchObject({
      ok: false,
      code: 'forbidden',
      message: `error checking context: can't stat '${path.join(dir, 'locked')}'`,
    });
  });

  it('does not mind an unreadable file that .dockerignore excludes', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'secret\n', secret: 'x' });
    await chmod(path.join(dir, 'secret'), 0o000);
    expect(await scanAsUnprivileged(dir)).toEqual({ ok: true, paths: ['.dockerignore', 'Dockerfile'] });
  });
});
