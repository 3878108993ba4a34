import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractAll, extractFile, getRawHeader } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng, LINUX_SIZES, renderIcons } from '../../scripts/icons.mjs';

// electron-builder for the `dir` target with a stub Electron distribution (the real binary cannot be
// downloaded here), then the produced app.asar opened and checked: what ships is exactly what runs.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
/** Unpacked size of everything in the asar. Today ~8.4 MB (zod, protobufjs, grpc-js are most of it). */
const BUDGET_BYTES = 12_000_000;

interface Entry {
  size: number;
  unpacked: boolean;
}
interface AsarNode {
  files?: Record<string, AsarNode>;
  size?: number;
  unpacked?: boolean;
  link?: string;
}

let work: string;
let asarPath: string;
const files = new Map<string, Entry>();
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function walk(node: AsarNode, path: string): void {
  if (node.files) for (const [name, child] of Object.entries(node.files)) walk(child, path ? `${path}/${name}` : name);
  else if (!node.link) files.set(path, { size: node.size ?? 0, unpacked: !!node.unpacked });
}

function readJson<T>(path: string): T {
  return JSON.parse(extractFile(asarPath, path).toString('utf8')) as T;
}

/** Node's lookup inside the asar: <dir>/node_modules/<name>, then each parent folder's. */
function resolvePackage(fromDir: string, name: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = posix.join(dir, 'node_modules', name);
    if (files.has(`${candidate}/package.json`)) return candidate;
    if (dir === '' || dir === '.') return undefined;
    const up = posix.dirname(dir);
    dir = up === '.' ? '' : up;
  }
}

/**
 * Electron's fuse wire as the real binary carries it: the sentinel, the wire version (1), the number of fuses,
 * then one byte per fuse ('1' on, '0' off) with Electron's defaults, so packaging has something to flip.
 */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ELECTRON_DEFAULT_FUSES = '10110001';
/** A fuse's byte in the wire: ASCII '1' or '0'. */
const FuseState = { ENABLE: 0x31, DISABLE: 0x30 } as const;
function stubFuseWire(): Buffer {
  return Buffer.concat([
    Buffer.from(SENTINEL),
    Buffer.from([1, ELECTRON_DEFAULT_FUSES.length]),
    Buffer.from(ELECTRON_DEFAULT_FUSES),
  ]);
}

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-needed', '--quiet'], { cwd: repoRoot, stdio: 'inherit' });
  work = await mkdtemp(join(tmpdir(), 'strata-packaging-'));
  // The stub: electron-builder copies the distribution and renames its `electron` executable; nothing runs it.
  const stub = join(work, 'electron-dist');
  await mkdir(stub);
  await writeFile(
    join(stub, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "stub Electron for the packaging test" >&2\nexit 1\n# '),
      stubFuseWire(),
      Buffer.from('\n'),
    ]),
  );
  await chmod(join(stub, 'electron'), 0o755);
  await writeFile(join(stub, 'LICENSE'), 'stub\n');
  const output = join(work, 'out');
  const cli = require.resolve('electron-builder/cli.js');
  const result = spawnSync(
    process.execPath,
    [
      cli,
      '--linux',
      'dir',
      '--x64',
      '--publish',
      'never',
      `-c.electronDist=${stub}`,
      `-c.directories.output=${output}`,
    ],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  if (result.status !== 0) throw new Error(`electron-builder failed:\n${result.stdout}\n${result.stderr}`);
  asarPath = join(output, 'linux-unpacked', 'resources', 'app.asar');
  walk((getRawHeader(asarPath).header as AsarNode) ?? {}, '');
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('packaged app (electron-builder dir, stub Electron)', () => {
  it('names its executable and keeps Electron’s license beside it', () => {
    const appDir = dirname(dirname(asarPath));
    expect(existsSync(join(appDir, 'strata'))).toBe(true);
    expect(existsSync(join(appDir, 'LICENSE.electron.txt'))).toBe(true);
  });

  it('has Electron’s fuses set in the packed binary: no Node mode, no NODE_OPTIONS or --inspect, asar only', async () => {
    const wire = await getCurrentFuseWire(join(dirname(dirname(asarPath)), 'strata'));
    const state = (fuse: FuseV1Options) => wire[fuse];
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.DISABLE);
    // Left as Electron ships it.
    expect(state(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot)).toBe(FuseState.DISABLE);
  });

  it('has package.json whose entry point exists, and the main, preload and renderer bundles', () => {
    const manifest = readJson<{ main: string; name: string; version: string }>('package.json');
    expect(manifest.main).toBe('dist/main/main.cjs');
    expect(files.has(manifest.main)).toBe(true);
    expect(files.has('dist/main/preload.cjs')).toBe(true);
    expect(files.has('dist/renderer/index.html')).toBe(true);
    const html = extractFile(asarPath, 'dist/renderer/index.html').toString('utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(files.has(`dist/renderer/${asset}`), asset).toBe(true);
  });

  it('resolves dockerode and every production dependency, each with its own dependencies', () => {
    const seen = new Set<string>();
    const missing: string[] = [];
    const visit = (
      fromDir: string,
      deps: Record<string, string> | undefined,
      optional: Record<string, string> | undefined,
    ) => {
      for (const name of Object.keys(deps ?? {})) {
        // Type declarations are not code (protobufjs lists @types/node among its dependencies).
        if (name.startsWith('@types/')) continue;
        const dir = resolvePackage(fromDir, name);
        if (!dir) {
          if (!optional || !(name in optional)) missing.push(`${name} (needed by ${fromDir || 'the app'})`);
          continue;
        }
        if (seen.has(dir)) continue;
        seen.add(dir);
        const manifest = readJson<{
          dependencies?: Record<string, string>;
          optionalDependencies?: Record<string, string>;
        }>(`${dir}/package.json`);
        visit(dir, { ...manifest.dependencies, ...manifest.optionalDependencies }, manifest.optionalDependencies);
      }
    };
    visit('', pkg.dependencies, undefined);
    expect(missing).toEqual([]);
    expect(resolvePackage('', 'dockerode')).toBe('node_modules/dockerode');
    expect(files.has('node_modules/dockerode/lib/docker.js')).toBe(true);
    console.log(`[packaging] ${seen.size} packages in node_modules, all resolving`);
  });

  it('loads what the main bundle requires, from the packaged tree, in a plain Node', async () => {
    const main = extractFile(asarPath, 'dist/main/main.cjs').toString('utf8');
    const required = [...new Set([...main.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!))];
    const packages = required.filter((r) => r !== 'electron' && !r.startsWith('node:') && !builtinModules.includes(r));
    expect(packages).toContain('dockerode');
    for (const p of packages) expect(pkg.dependencies, p).toHaveProperty(p);
    // The sandboxed preload cannot require anything but electron: one file.
    const preload = extractFile(asarPath, 'dist/main/preload.cjs').toString('utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    // It checks channel names against their zod-free list ($shared/ipc/channels): the schemas stay in main.
    expect(preload).not.toMatch(/\$?Zod[A-Z]\w*/);
    console.log(`[packaging] preload.cjs: ${(preload.length / 1e3).toFixed(1)} kB (budget 16 kB)`);
    expect(preload.length).toBeLessThan(16_000);

    const extracted = join(work, 'extracted');
    extractAll(asarPath, extracted);
    const script = `const r = require('node:module').createRequire(${JSON.stringify(join(extracted, 'package.json'))});
      for (const name of ${JSON.stringify(Object.keys(pkg.dependencies))}) r(name);
      const Docker = r('dockerode'); new Docker({ socketPath: '/nonexistent.sock' });
      console.log('ok');`;
    const run = spawnSync(process.execPath, ['-e', script], {
      cwd: extracted,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('ok');
  });

  it('holds no tests, no TypeScript sources, no source maps, no native binaries and no dev tools', () => {
    const paths = [...files.keys()];
    const offending = (pattern: RegExp) => paths.filter((p) => pattern.test(p));
    expect(offending(/(^|\/)(test|tests|__tests__)\//)).toEqual([]);
    expect(offending(/(^|\/)[^/]*[.-](test|spec)\.[cm]?[jt]sx?$|(^|\/)tests?\.[cm]?js$/)).toEqual([]);
    expect(offending(/\.(ts|mts|cts|tsx|svelte)$/)).toEqual([]);
    expect(offending(/\.map$/)).toEqual([]);
    // One native addon ships on purpose: @napi-rs/xattr reads file capabilities (security.capability) for
    // the build context, as docker does. It is N-API (ABI-stable: the prebuilt binary npm installed for
    // this platform loads in Node and Electron alike, and Electron loads it from inside the asar).
    const allowedNative = /^node_modules\/@napi-rs\/xattr-[a-z0-9-]+\/xattr\.[a-z0-9-]+\.node$/;
    expect(offending(/\.(node|bare)$/).filter((p) => !allowedNative.test(p))).toEqual([]);
    expect(offending(/^(src-main|src-renderer|tests|bench|scripts|assets)\//)).toEqual([]);
    // The browser-preview host and the CLI are for npm users, not the app.
    expect(offending(/^dist\/(web|cli|chunks)\//)).toEqual([]);
    for (const bundle of paths.filter((p) => /^dist\/.*\.(c?js|mjs)$/.test(p))) {
      expect(extractFile(asarPath, bundle).toString('utf8'), bundle).not.toMatch(/sourceMappingURL=/);
    }
    // A dev tool's name may still ship as another version that a production dependency needs (dockerode's tar-fs
    // takes tar-stream 2; the tests use tar-stream 3): only the version the project installed for itself counts.
    const devTools = Object.keys(pkg.devDependencies).filter((name) => {
      const packaged = `node_modules/${name}/package.json`;
      if (!files.has(packaged)) return false;
      const installed = JSON.parse(readFileSync(join(repoRoot, packaged), 'utf8')) as { version: string };
      return readJson<{ version: string }>(packaged).version === installed.version;
    });
    expect(devTools).toEqual([]);
    // electron-builder unpacks a native addon beside the asar (dlopen needs a real file): only that one.
    const addon = (p: string) => p.startsWith('node_modules/@napi-rs/xattr-');
    expect(paths.filter((p) => files.get(p)!.unpacked && !addon(p))).toEqual([]);
    const unpackedDir = `${asarPath}.unpacked`;
    const unpacked = existsSync(unpackedDir)
      ? readdirSync(unpackedDir, { recursive: true, withFileTypes: true })
          .filter((d) => d.isFile())
          .map((d) => relative(unpackedDir, join(d.parentPath, d.name)).split(sep).join('/'))
      : [];
    expect(unpacked.filter((p) => !addon(p))).toEqual([]);
  });

  it('stays under its size budget', () => {
    const total = [...files.values()].reduce((n, f) => n + f.size, 0);
    const ours = [...files].filter(([p]) => p.startsWith('dist/')).reduce((n, [, f]) => n + f.size, 0);
    console.log(
      `[packaging] app.asar unpacked: ${(total / 1e6).toFixed(2)} MB in ${files.size} files ` +
        `(bundles ${(ours / 1e6).toFixed(2)} MB, dependencies ${((total - ours) / 1e6).toFixed(2)} MB); ` +
        `budget ${(BUDGET_BYTES / 1e6).toFixed(0)} MB`,
    );
    expect(total).toBeLessThan(BUDGET_BYTES);
  });
});

describe('icons', () => {
  it('are generated from the one source image and current with it', () => {
    const rendered = renderIcons();
    for (const [name, bytes] of rendered) {
      const onDisk = readFileSync(join(repoRoot, 'assets', 'icons', name));
      expect(onDisk.equals(bytes), `assets/icons/${name} is stale: run node scripts/icons.mjs`).toBe(true);
    }
    for (const size of LINUX_SIZES) {
      const image = decodePng(readFileSync(join(repoRoot, 'assets', 'icons', `${size}x${size}.png`)));
      expect([image.width, image.height]).toEqual([size, size]);
    }
    const ico = readFileSync(join(repoRoot, 'assets', 'icons', 'icon.ico'));
    expect([ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([1, 7]);
    const icns = readFileSync(join(repoRoot, 'assets', 'icons', 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
  });
});
