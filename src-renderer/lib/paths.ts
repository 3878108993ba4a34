// The renderer's path helpers (it has no node:path), shared by the editor and the context panel. Paths come
// from main: absolute, with the platform's separators. Main's own rules for typed paths (`~`, relative paths
// refused) are in src-main/core/files/user-path.ts.

function separatorOf(p: string): '/' | '\\' {
  return p.includes('\\') && !p.includes('/') ? '\\' : '/';
}

/** True for `/x`, `C:\x`, `C:/x` and `\\server\share`. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** `name` inside `dir`, or `name` itself when it is absolute. */
export function joinPath(dir: string, name: string): string {
  if (isAbsolutePath(name)) return name;
  const sep = separatorOf(dir);
  const trimmed = dir.length > 1 ? dir.replace(/[\\/]+$/, '') : dir;
  const rest = name.replace(/^\.[\\/]/, '');
  return trimmed.endsWith(sep) ? trimmed + rest : `${trimmed}${sep}${rest}`;
}

/** `file` relative to `dir` when it is inside it (with `/` or `\` as in the input), else undefined. */
export function relativeInside(dir: string, file: string): string | undefined {
  const trimmed = dir.replace(/[\\/]+$/, '');
  if (file.length <= trimmed.length + 1) return undefined;
  const sep = file[trimmed.length];
  if (!file.startsWith(trimmed) || (sep !== '/' && sep !== '\\')) return undefined;
  return file.slice(trimmed.length + 1);
}

/** True when `file` is `dir` itself or anything inside it. */
export function isSameOrInside(dir: string, file: string): boolean {
  const trim = (p: string) => (p.length > 1 ? p.replace(/[\\/]+$/, '') : p);
  return trim(file) === trim(dir) || relativeInside(dir, file) !== undefined;
}

/** The last segment of a path. */
export function baseName(p: string): string {
  const trimmed = p.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
}
