import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices, disposeServices } from '../../../src-main/ipc/services';
import { dispatch, type Reply } from '../../../src-main/ipc/dispatch';
import { createHandlers } from '../../../src-main/ipc/handlers';

// Every channel that takes a path, through the real dispatcher and handlers, with no engine: a path is
// judged before anything else, so the answers below need none.
const root = mkdtempSync(join(tmpdir(), 'strata-path-channels-'));
const home = join(root, 'home');
mkdirSync(home);
const services = createServices({
  dataDir: join(root, 'data'),
  env: { DOCKER_HOST: `unix://${root}/missing.sock` },
  homeDir: home,
});
const handlers = createHandlers(services);
const call = (channel: string, payload: unknown): Promise<Reply> =>
  dispatch(handlers, channel, payload, { trusted: true, description: 'test' });
afterAll(() => {
  disposeServices(services);
  rmSync(root, { recursive: true, force: true });
});

const save = (path: string, extra: object = {}) =>
  call('files.save', { path, text: 'FROM scratch\n', expectedSha256: null, ...extra });

describe('paths on every channel', () => {
  it('refuses relative paths everywhere, never resolving them against the folder main runs in', async () => {
    const requests: [string, object][] = [
      ['files.read', { path: 'Dockerfile' }],
      ['files.save', { path: 'Dockerfile', text: '', expectedSha256: null }],
      ['files.watch', { paths: ['Dockerfile'] }],
      ['images.save', { images: ['busybox'], destination: 'out.tar' }],
      ['images.load', { source: 'images.tar' }],
      ['images.import', { source: './rootfs.tar' }],
      ['build.start', { contextDir: '.', options: {} }],
      ['build.dockerfileInfo', { contextDir: 'ctx' }],
      ['build.history', { contextDir: 'ctx' }],
      ['build.lastOptions', { contextDir: '../ctx' }],
      ['context.open', { path: 'ctx' }],
      ['context.scan', { contextDir: 'ctx' }],
      ['context.forget', { contextDir: 'ctx' }],
      ['context.addIgnoreRule', { contextDir: 'ctx', rule: 'node_modules' }],
      ['context.tree', { contextDir: 'ctx' }],
      ['layers.analyzeArchive', { path: 'image.tar' }],
    ];
    for (const [channel, payload] of requests) {
      const reply = await call(channel, payload);
      expect({ channel, reply }).toMatchObject({
        channel,
        reply: { ok: false, error: { code: 'invalid-input', message: expect.stringContaining('relative') } },
      });
    }
    expect(existsSync(join(process.cwd(), 'Dockerfile'))).toBe(false);
  });

  it('expands ~ when saving, as when reading', async () => {
    expect(await save('~/Dockerfile')).toMatchObject({ ok: true, result: { path: join(home, 'Dockerfile') } });
    expect(readFileSync(join(home, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n');
    expect(await call('files.read', { path: '~/Dockerfile' })).toMatchObject({ ok: true });
  });

  it('takes a trailing / to mean a folder: no file named like the folder is created', async () => {
    const reply = await save(join(root, 'new-folder/'));
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(existsSync(join(root, 'new-folder'))).toBe(false);
    const image = await call('images.save', { images: ['busybox'], destination: join(root, 'out/') });
    expect(image).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(existsSync(join(root, 'out'))).toBe(false);
  });

  it('refuses to save through a broken link, leaving the link a link and creating nothing', async () => {
    const link = join(root, 'Dockerfile.link');
    symlinkSync(join(root, 'elsewhere', 'Dockerfile'), link);
    for (const reply of [
      await save(link),
      await save(link, { overwrite: true }),
      await call('images.save', { images: ['busybox'], destination: link }),
    ]) {
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      if (!reply.ok) expect(reply.error.message).toContain('broken link');
    }
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(existsSync(join(root, 'elsewhere'))).toBe(false);
  });

  it.runIf(process.platform !== 'win32')(
    'answers saves to a FIFO at once, and file I/O goes on (more saves than Node has file threads)',
    async () => {
      const fifo = join(root, 'Dockerfile.fifo');
      execFileSync('mkfifo', [fifo]);
      const replies = await Promise.all([
        ...Array.from({ length: 4 }, () => save(fifo, { expectedSha256: 'a'.repeat(64) })),
        ...Array.from({ length: 4 }, () => save(fifo, { overwrite: true })),
        ...Array.from({ length: 4 }, () => call('files.read', { path: fifo })),
        call('images.save', { images: ['busybox'], destination: fifo }),
      ]);
      for (const reply of replies) expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(lstatSync(fifo).isFIFO()).toBe(true);

      // A context whose Dockerfile and .dockerignore are FIFOs: every channel that reads them answers.
      const ctx = join(root, 'fifo-context');
      mkdirSync(ctx);
      execFileSync('mkfifo', [join(ctx, 'Dockerfile'), join(ctx, '.dockerignore')]);
      const contextReplies = await Promise.all([
        ...Array.from({ length: 4 }, () => call('build.dockerfileInfo', { contextDir: ctx })),
        ...Array.from({ length: 4 }, () => call('context.addIgnoreRule', { contextDir: ctx, rule: 'x' })),
        ...Array.from({ length: 4 }, () => call('context.scan', { contextDir: ctx, builder: 'classic' })),
      ]);
      for (const reply of contextReplies) expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(await call('files.watch', { paths: [fifo, join(ctx, 'Dockerfile')] })).toMatchObject({ ok: true });
      expect(await call('files.watch', { paths: [] })).toMatchObject({ ok: true });
      writeFileSync(join(root, 'after'), 'FROM busybox\n');
      expect(await call('files.read', { path: join(root, 'after') })).toMatchObject({
        ok: true,
        result: { text: 'FROM busybox\n' },
      });
    },
  );
});
