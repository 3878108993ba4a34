import { createRequire } from 'node:module';
import type { Transform } from 'node:stream';
import type * as Zlib from 'node:zlib';
import type * as Fzstd from 'fzstd';

// Loaded the first time a compressed archive or layer needs them: a `docker save` archive is plain tar
// with plain layers, and node:zlib and fzstd together were a few milliseconds of every analysis's startup.
const load = createRequire(import.meta.url);
let zlibModule: typeof Zlib | undefined;

/** node:zlib, loaded on first use. */
export function zlib(): typeof Zlib {
  zlibModule ??= load('node:zlib') as typeof Zlib;
  return zlibModule;
}

/** Node 22.15+ and Electron ship a native zstd decoder; Node 20 does not, so fzstd fills in there. */
export function nativeZstd(): Transform | undefined {
  const factory = (zlib() as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;
  return typeof factory === 'function' ? factory() : undefined;
}

/** fzstd's streaming decoder, loaded on first use. */
export function fzstd(): typeof Fzstd.Decompress {
  return (load('fzstd') as typeof Fzstd).Decompress;
}
