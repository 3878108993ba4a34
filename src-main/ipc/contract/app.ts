import { z } from 'zod';
import { channel, empty } from './define';

export const buildDefaults = z
  .object({
    builder: z.enum(['auto', 'classic', 'buildkit']),
    noCache: z.boolean(),
    pull: z.boolean(),
    platform: z.string().max(128),
    networkMode: z.string().max(256),
  })
  .strict();

const theme = z.enum(['system', 'light', 'dark']);

/** The settings a person edits (the engine choice has its own channels: engine.choose / useAutomatic). */
export interface AppSettings {
  theme: z.infer<typeof theme>;
  buildDefaults: BuildDefaults;
  notifyLongJobs: boolean;
  /** The remembered engine address, absent for automatic discovery (read-only here). */
  engineAddress?: string;
  /** Where Strata keeps its data (settings, build history). */
  dataDir: string;
  settingsPath: string;
}

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** True in the desktop app; false in the browser preview (no native dialogs there). */
  desktop: boolean;
  versions: Record<string, string>;
}

/** What a native dialog is asked to choose. */
export const pathKind = z.enum(['build-context', 'dockerfile', 'image-archive', 'save-archive']);

export const app = {
  info: channel(empty, z.custom<AppInfo>()),
  settings: channel(empty, z.custom<AppSettings>()),
  /** Change some settings; written atomically to the data folder. Answers with all of them. */
  updateSettings: channel(
    z
      .object({
        theme: theme.optional(),
        buildDefaults: buildDefaults.optional(),
        notifyLongJobs: z.boolean().optional(),
      })
      .strict(),
    z.custom<AppSettings>(),
  ),
  /**
   * A native open/save dialog (desktop only). `path` null when the user cancelled; `native` false in the
   * browser preview, where the path is typed into the view instead.
   */
  choosePath: channel(
    z.object({ kind: pathKind, defaultPath: z.string().max(4096).optional() }).strict(),
    z.custom<{ path: string | null; native: boolean }>(),
  ),
  /** Show the data folder in the system's file manager (desktop only; `shown` false elsewhere). */
  showDataFolder: channel(empty, z.custom<{ shown: boolean }>()),
};

export type BuildDefaults = z.infer<typeof buildDefaults>;
export type PathKind = z.infer<typeof pathKind>;
