import type { Services } from '../services';
import type { Settings } from '../../core/settings/settings-store';
import type { AppSettings, BuildDefaults, PathKind } from '../contract/app';
import type { DomainHandlers } from '../dispatch';
import { productName, version } from '../../../package.json';

/** What only the desktop shell can do. The browser preview has none of it and says so in its answers. */
export interface DesktopShell {
  choosePath(request: { kind: PathKind; defaultPath?: string }): Promise<string | null>;
  showFolder(path: string): Promise<void>;
  applyTheme(theme: Settings['theme']): void;
  versions: Record<string, string>;
}

const defaultBuildDefaults: BuildDefaults = {
  builder: 'auto',
  noCache: false,
  pull: false,
  platform: '',
  networkMode: '',
};

function toAppSettings(s: Services, settings: Settings): AppSettings {
  return {
    theme: settings.theme,
    buildDefaults: { ...defaultBuildDefaults, ...settings.buildDefaults },
    notifyLongJobs: settings.notifyLongJobs !== false,
    ...(settings.engineAddress ? { engineAddress: settings.engineAddress } : {}),
    dataDir: s.dataDir,
    settingsPath: s.settings.path,
  };
}

/** The `app` domain: version, settings, and the desktop's dialogs (absent in the browser preview). */
export function appHandlers(s: Services, desktop?: DesktopShell): DomainHandlers<'app'> {
  return {
    info: () => ({
      name: productName,
      version,
      platform: process.platform,
      desktop: !!desktop,
      versions: desktop?.versions ?? { node: process.versions.node },
    }),
    settings: async () => toAppSettings(s, await s.settings.get()),
    updateSettings: async (change) => {
      const next = await s.settings.update({
        ...(change.theme ? { theme: change.theme } : {}),
        ...(change.buildDefaults ? { buildDefaults: change.buildDefaults } : {}),
        ...(change.notifyLongJobs !== undefined ? { notifyLongJobs: change.notifyLongJobs } : {}),
      });
      if (change.theme) desktop?.applyTheme(change.theme);
      return toAppSettings(s, next);
    },
    choosePath: async (request) => {
      if (!desktop) return { path: null, native: false };
      return { path: await desktop.choosePath(request), native: true };
    },
    showDataFolder: async () => {
      if (!desktop) return { shown: false };
      await desktop.showFolder(s.dataDir);
      return { shown: true };
    },
  };
}
