import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Strata keeps its data when Electron is not there to say (browser preview, CLI): the same folder Electron's userData uses. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.STRATA_DATA_DIR) return env.STRATA_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Strata');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Strata');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Strata');
}
