import { chmod, link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A file's content, or a directory, a symlink or a hard link to another path of the tree. */
export type TreeNode =
  | string
  | Buffer
  | { dir: true; mode?: number }
  | { symlink: string }
  | { hardlink: string }
  | { content: string; mode: number };

const made: string[] = [];

/** Make a directory tree under a fresh temp dir (on the real filesystem) and return its path. */
export async function tempTree(nodes: Record<string, TreeNode>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'strata-ctx-'));
  made.push(root);
  for (const [rel, node] of Object.entries(nodes)) {
    const abs = path.join(root, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    if (typeof node === 'string' || Buffer.isBuffer(node)) await writeFile(abs, node);
    else if ('dir' in node) {
      await mkdir(abs, { recursive: true });
      if (node.mode !== undefined) await chmod(abs, node.mode);
    } else if ('symlink' in node) await symlink(node.symlink, abs);
    else if ('hardlink' in node) await link(path.join(root, node.hardlink), abs);
    else {
      await writeFile(abs, node.content);
      await chmod(abs, node.mode);
    }
  }
  return root;
}

/** Remove every tree made so far (call from afterEach). */
export async function removeTrees(): Promise<void> {
  while (made.length) await rm(made.pop() as string, { recursive: true, force: true });
}
