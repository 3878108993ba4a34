import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, disposeServices, type Services } from '../../../src-main/ipc/services';
import { dispatch, type Handlers } from '../../../src-main/ipc/dispatch';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { appHandlers, type DesktopShell } from '../../../src-main/ipc/handlers/app';
import { version } from '../../../package.json';

// The `app` domain through the real dispatch, with settings in a real temp data folder.
let dataDir: string;
let services: Services;
const trusted = { trusted: true, description: 'test' };

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'strata-settings-'));
  services = createServices({ dataDir, env: {}, homeDir: dataDir });
});

afterEach(async () => {
  disposeServices(services);
  await rm(dataDir, { recursive: true, force: true });
});

function desktopFake() {
  const calls = { themes: [] as string[], folders: [] as string[], asked: [] as string[] };
  const shell: DesktopShell = {
    versions: { electron: '45.5.0', chrome: '142.0.0.0', node: '22.20.0' },
    choosePath: async ({ kind }) => {
      calls.asked.push(kind);
      return kind === 'build-context' ? '/home/me/project' : null;
    },
    showFolder: async (path) => void calls.folders.push(path),
    applyTheme: (theme) => void calls.themes.push(theme),
  };
  return { shell, calls };
}

describe('app settings', () => {
  it('answers defaults first, then saves changes atomically to the data folder and applies the theme', async () => {
    const { shell, calls } = desktopFake();
    const handlers: Handlers = { ...createHandlers(services), app: appHandlers(services, shell) };
    const first = await dispatch(handlers, 'app.settings', {}, trusted);
    expect(first).toEqual({
      ok: true,
      result: {
        theme: 'system',
        buildDefaults: { builder: 'auto', noCache: false, pull: false, platform: '', networkMode: '' },
        notifyLongJobs: true,
        dataDir,
        settingsPath: join(dataDir, 'settings.json'),
      },
    });

    const buildDefaults = {
      builder: 'classic',
      noCache: true,
      pull: false,
      platform: 'linux/arm64',
      networkMode: 'none',
    };
    const updated = await dispatch(
      handlers,
      'app.updateSettings',
      { theme: 'dark', buildDefaults, notifyLongJobs: false },
      trusted,
    );
    expect(updated).toMatchObject({ ok: true, result: { theme: 'dark', buildDefaults, notifyLongJobs: false } });
    expect(calls.themes).toEqual(['dark']);
    const onDisk = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'));
    expect(onDisk).toMatchObject({ theme: 'dark', buildDefaults, notifyLongJobs: false });

    // A fresh process reads what was saved; other settings (the window's place) are kept alongside.
    await services.settings.update({ window: { width: 1000, height: 700 } });
    const again = createServices({ dataDir, env: {}, homeDir: dataDir });
    expect(await again.settings.get()).toMatchObject({
      theme: 'dark',
      buildDefaults,
      window: { width: 1000, height: 700 },
    });
    disposeServices(again);
  });

  it('refuses what the schema does not allow', async () => {
    const handlers = createHandlers(services);
    const bad = [
      { theme: 'purple' },
      { buildDefaults: { builder: 'auto' } },
      { engineAddress: 'tcp://evil:2375' },
      { dataDir: '/elsewhere' },
      { notifyLongJobs: 'yes' },
    ];
    for (const payload of bad) {
      const reply = await dispatch(handlers, 'app.updateSettings', payload, trusted);
      expect(reply.ok, JSON.stringify(payload)).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('invalid-input');
    }
    expect((await services.settings.get()).theme).toBe('system');
  });

  it('has no dialogs in the browser preview and says so; the desktop asks its native dialogs', async () => {
    const preview = createHandlers(services);
    expect(await dispatch(preview, 'app.choosePath', { kind: 'build-context' }, trusted)).toEqual({
      ok: true,
      result: { path: null, native: false },
    });
    expect(await dispatch(preview, 'app.showDataFolder', {}, trusted)).toEqual({ ok: true, result: { shown: false } });
    expect(await dispatch(preview, 'app.info', {}, trusted)).toMatchObject({
      ok: true,
      result: { name: 'Strata', version, desktop: false },
    });

    const { shell, calls } = desktopFake();
    const desktop: Handlers = { ...preview, app: appHandlers(services, shell) };
    expect(await dispatch(desktop, 'app.choosePath', { kind: 'build-context' }, trusted)).toEqual({
      ok: true,
      result: { path: '/home/me/project', native: true },
    });
    expect(await dispatch(desktop, 'app.choosePath', { kind: 'dockerfile' }, trusted)).toEqual({
      ok: true,
      result: { path: null, native: true },
    });
    expect((await dispatch(desktop, 'app.choosePath', { kind: 'anything' }, trusted)).ok).toBe(false);
    expect(await dispatch(desktop, 'app.showDataFolder', {}, trusted)).toEqual({ ok: true, result: { shown: true } });
    expect(calls).toMatchObject({ asked: ['build-context', 'dockerfile'], folders: [dataDir] });
    expect(await dispatch(desktop, 'app.info', {}, trusted)).toMatchObject({
      ok: true,
      result: { desktop: true, versions: { electron: '45.5.0' } },
    });
  });
});
