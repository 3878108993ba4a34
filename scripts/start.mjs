// `npm start`: build if needed and open the desktop app. Where Electron's binary is missing and cannot be
// fetched (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network), say so in one line and point to the browser preview.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildAll, buildIsCurrent } from './build.mjs';
import { electronPackageDir, installedElectronBinary } from './electron-binary.mjs';

const preview = 'use the browser preview instead: npm run web';
let binary = installedElectronBinary();
if (!binary) {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    console.error(`Strata: the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD is set); ${preview}`);
    process.exit(1);
  }
  console.error('Strata: downloading the Electron binary (first start)…');
  const result = spawnSync(process.execPath, [join(electronPackageDir(), 'install.js')], {
    stdio: 'ignore',
    timeout: 180_000,
  });
  binary = installedElectronBinary();
  if (result.status !== 0 || !binary) {
    console.error(`Strata: the Electron binary could not be downloaded (no network to its release host?); ${preview}`);
    process.exit(1);
  }
}
if (!buildIsCurrent()) await buildAll({ quiet: true });
const child = spawn(binary, ['.'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
