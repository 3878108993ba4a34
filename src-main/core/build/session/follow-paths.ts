/**
 * fsutil's FollowLinks: the engine asks for the Dockerfile with `followpaths` so that a Dockerfile that is a
 * symlink arrives with its target. Each path is resolved component by component inside the directory (an
 * absolute link target counts from the directory's root, as the receiver sees it); every symlink met and the
 * final path are kept. Wildcards in the last component are not expanded (fsutil expands them; the engine's
 * Dockerfile frontend sends plain names).
 */
import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';

const MAX_LINKS = 255;

export function followPaths(root: string, paths: readonly string[]): string[] {
  const resolved = new Set<string>();
  let budget = MAX_LINKS;
  const append = (p: string): void => {
    const parts = path.posix
      .normalize('/' + p)
      .split('/')
      .filter(Boolean);
    let current = '';
    for (let i = 0; i < parts.length; i++) {
      current = current ? `${current}/${parts[i]}` : (parts[i] as string);
      const rest = parts.slice(i + 1).join('/');
      let target: string | null = null;
      try {
        const abs = path.join(root, current);
        if (lstatSync(abs).isSymbolicLink()) target = readlinkSync(abs, 'utf8');
      } catch {
        // Not there: nothing to follow.
      }
      if (target !== null) {
        if (resolved.has(current) && !rest) return;
        resolved.add(current);
        if (budget-- <= 0) return;
        const next = target.startsWith('/') ? target : path.posix.join(path.posix.dirname('/' + current), target);
        append(rest ? `${next}/${rest}` : next);
        return;
      }
    }
    if (current) resolved.add(current);
  };
  for (const p of paths) append(p);
  return [...resolved].sort();
}
