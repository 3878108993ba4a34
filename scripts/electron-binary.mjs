// Where the Electron binary is, without triggering a download (requiring the `electron` package would).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function electronPackageDir() {
  return dirname(require.resolve('electron/package.json'));
}

/** The binary's path, or undefined when it was never downloaded (ELECTRON_OVERRIDE_DIST_PATH wins). */
export function installedElectronBinary() {
  const dir = electronPackageDir();
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const name =
      process.platform === 'win32'
        ? 'electron.exe'
        : process.platform === 'darwin'
          ? 'Electron.app/Contents/MacOS/Electron'
          : 'electron';
    const bin = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, name);
    return existsSync(bin) ? bin : undefined;
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : undefined;
}
