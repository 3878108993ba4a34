// Build the three bundles (renderer, main, preload). With --if-needed, only when a source is newer than the last build.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const stamp = 'dist/.build-stamp';
const sources = ['src-main', 'src-shared', 'src-renderer', 'vite.config.ts', 'package.json'];

function newest(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

export function buildIsCurrent() {
  return existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...sources.map(newest));
}

export async function buildAll({ quiet = false } = {}) {
  const logLevel = quiet ? 'warn' : 'info';
  await build({ configFile: 'vite.config.ts', mode: 'production', logLevel });
  await build({ configFile: 'vite.config.ts', mode: 'main', logLevel });
  await build({ configFile: 'vite.config.ts', mode: 'main-cjs', logLevel });
  await build({ configFile: 'vite.config.ts', mode: 'preload', logLevel });
  writeFileSync(stamp, new Date().toISOString());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--if-needed') && buildIsCurrent()) {
    console.log('build: up to date');
  } else {
    await buildAll({ quiet: process.argv.includes('--quiet') });
  }
}
