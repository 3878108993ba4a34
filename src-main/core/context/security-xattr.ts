/**
 * go-archive's ReadSecurityXattrToTarHeader: every entry of a build context carries its
 * `security.capability` extended attribute (file capabilities, as `setcap` sets them) in a PAX record,
 * so `COPY` keeps them. Node has no xattr API; @napi-rs/xattr is a small N-API addon with prebuilt
 * binaries per platform (no compiler, no install script, and N-API is ABI-stable, so the same binary
 * loads in Node and in Electron). Only Linux has file capabilities, and only there does go-archive
 * read them, so the addon is loaded on Linux alone, lazily: a platform without a binary still builds.
 */

import { createRequire } from 'node:module';

type GetAttribute = (path: string, name: string) => Buffer | null;

// Values from linux/include/uapi/linux/capability.h, as go-archive uses them.
const XATTR_CAPS_SZ_2 = 20;
const VERSION_OFFSET = 3;
const VFS_CAP_REVISION_2 = 2;
const VFS_CAP_REVISION_3 = 3;

let loaded: GetAttribute | null | undefined;

/**
 * The addon's reader, or null where file capabilities do not exist or the addon has no binary. Loaded
 * with require (not import()): the main process bundle is CommonJS, and Electron's require is what
 * finds an addon electron-builder unpacked beside the asar.
 */
export function loadCapabilityReader(): GetAttribute | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  if (process.platform === 'linux') {
    try {
      const addon = createRequire(import.meta.url)('@napi-rs/xattr') as typeof import('@napi-rs/xattr');
      loaded = addon.getAttributeSync;
    } catch {
      // No binary for this CPU or libc: the context goes without capabilities, as on other systems.
    }
  }
  return loaded;
}

/**
 * The `security.capability` attribute of a path (not following symlinks, as lgetxattr), converted as
 * go-archive converts it: a revision-3 value (with a namespace root uid, meaningless elsewhere)
 * becomes revision 2 and is cut to 20 bytes. Null when the path has none or cannot be read.
 */
export function readCapability(get: GetAttribute, file: string): Buffer | null {
  let value: Buffer | null;
  try {
    value = get(file, 'security.capability');
  } catch {
    // go-archive ignores lgetxattr errors too (ENOTSUP on filesystems without xattrs).
    return null;
  }
  if (!value || value.length === 0) return null;
  if (value.length > VERSION_OFFSET && value[VERSION_OFFSET] === VFS_CAP_REVISION_3) {
    const v2 = Buffer.from(value.subarray(0, XATTR_CAPS_SZ_2));
    v2[VERSION_OFFSET] = VFS_CAP_REVISION_2;
    return v2;
  }
  return value;
}
