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

/** The settings a person edits (the engine choice has its own channels: engine.choose / useAutomatic). */
export const appSettings = z.object({
  theme: z.enum(['system', 'light', 'dark']),
  buildDefaults,
  notifyLongJobs: z.boolean(),
  /** The remembered engine address, absent for automatic discovery (read-only here). */
  engineAddress: z.string().optional(),
  /** Where Strata keeps its data (settings, build history). */
  dataDir: z.string(),
  settingsPath: z.string(),
});

export const appInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  /** True in the desktop app; false in the browser preview (no native dialogs there). */
  desktop: z.boolean(),
  versions: z.record(z.string(), z.string()),
});

/** What a native dialog is asked to choose. */
export const pathKind = z.enum(['build-context', 'dockerfile', 'image-archive', 'save-archive']);

export const app = {
  info: channel(empty, appInfo),
  settings: channel(empty, appSettings),
  /** Change some settings; written atomically to the data folder. Answers with all of them. */
  updateSettings: channel(
    z
      .object({
        theme: z.enum(['system', 'light', 'dark']).optional(),
        buildDefaults: buildDefaults.optional(),
        notifyLongJobs: z.boolean().optional(),
      })
      .strict(),
    appSettings,
  ),
  /**
   * A native open/save dialog (desktop only). `path` null when the user cancelled; `native` false in the
   * browser preview, where the path is typed into the view instead.
   */
  choosePath: channel(
    z.object({ kind: pathKind, defaultPath: z.string().max(4096).optional() }).strict(),
    z.object({ path: z.string().nullable(), native: z.boolean() }),
  ),
  /** Show the data folder in the system's file manager (desktop only; `shown` false elsewhere). */
  showDataFolder: channel(empty, z.object({ shown: z.boolean() })),
};

export type AppSettings = z.infer<typeof appSettings>;
export type BuildDefaults = z.infer<typeof buildDefaults>;
export type PathKind = z.infer<typeof pathKind>;
