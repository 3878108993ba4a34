import { goCleanPath } from '$shared/go/text';

/**
 * Cleans a tar entry name into an absolute image path: Go's path.Clean after a leading "/", as dive does
 * ("./usr//bin/" → "/usr/bin"). Returns "/" for the root itself.
 */
export function cleanImagePath(name: string): string {
  // "./" elements go away in Clean anyway; dropped first, the rest of a name from `tar -C dir -cf - .` is
  // usually clean already, which goCleanPath sees without splitting it.
  let start = 0;
  while (name.startsWith('./', start)) start += 2;
  // After "./" the slash is there already: a slice keeps it, without joining two strings.
  return goCleanPath(start === 0 ? `/${name}` : name.slice(start - 1));
}

/** The parent directory of an absolute image path ("/a/b" → "/a", "/a" → "/"). */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/** The last component of an absolute image path. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
// aufs metadata ("…/.wh..wh.plnk", "…/.wh..wh.aufs") shares this prefix; dive drops every such component.
export const META_WHITEOUT_PREFIX = '.wh..wh.';

/** How an entry path changes the layers below, per the OCI image spec's whiteout rules. */
export type WhiteoutMeaning =
  | { readonly type: 'none' }
  | { readonly type: 'whiteout'; readonly target: string }
  | { readonly type: 'opaque'; readonly directory: string }
  | { readonly type: 'metadata' };

const PLAIN: WhiteoutMeaning = { type: 'none' };

/** Tells whether an entry path is a plain entry, a whiteout of a sibling, an opaque marker, or aufs metadata. */
export function whiteoutMeaning(path: string): WhiteoutMeaning {
  // Almost no path holds ".wh." anywhere: one search answers for them.
  if (!path.includes(WHITEOUT_PREFIX)) return PLAIN;
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  if (!name.startsWith(WHITEOUT_PREFIX)) {
    return path.includes(`/${META_WHITEOUT_PREFIX}`) ? { type: 'metadata' } : { type: 'none' };
  }
  const dir = slash <= 0 ? '/' : path.slice(0, slash);
  if (name === OPAQUE_MARKER) return { type: 'opaque', directory: dir };
  if (name.startsWith(META_WHITEOUT_PREFIX)) return { type: 'metadata' };
  const target = name.slice(WHITEOUT_PREFIX.length);
  if (target === '') return { type: 'metadata' };
  return { type: 'whiteout', target: dir === '/' ? `/${target}` : `${dir}/${target}` };
}
