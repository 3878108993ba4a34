/** The benchmark's build context: a web-project-shaped tree, generated once and kept (marked complete). */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Spread `count` files over nested folders of at most 100 files each. */
function nestedPath(prefix: string, i: number): string {
  return path.join(prefix, `d${Math.floor(i / 10_000)}`, `d${Math.floor(i / 100) % 100}`, `f${i}.dat`);
}

/**
 * A context shaped like a web project: sources and assets (included: 40% of the files, 75% of the
 * bytes, a few large assets among them), node_modules (50% of the files) and .git (10%), both excluded.
 */
export async function generateContext(CONTEXT: string, FILES: number, BYTES: number): Promise<void> {
  const marker = `${CONTEXT}.complete`;
  if (existsSync(marker)) return;
  await rm(CONTEXT, { recursive: true, force: true });
  await mkdir(CONTEXT, { recursive: true });
  const noise = randomBytes(8 * 1024 * 1024);
  const write = async (file: string, size: number): Promise<void> => {
    await mkdir(path.dirname(file), { recursive: true });
    const start = Math.floor(Math.random() * (noise.length - Math.min(size, noise.length)));
    if (size <= noise.length) await writeFile(file, noise.subarray(start, start + size));
    else {
      const parts: Buffer[] = [];
      for (let left = size; left > 0; left -= noise.length) parts.push(noise.subarray(0, Math.min(left, noise.length)));
      await writeFile(file, Buffer.concat(parts));
    }
  };
  const included = Math.floor(FILES * 0.4);
  const nodeModules = Math.floor(FILES * 0.5);
  const git = FILES - included - nodeModules - 2;
  const large = Math.max(1, Math.min(8, Math.floor(included / 100)));
  const largeBytes = Math.floor((BYTES * 0.75 * 0.5) / large);
  const smallIncluded = Math.floor((BYTES * 0.75 * 0.5) / Math.max(1, included - large));
  const smallExcluded = Math.floor((BYTES * 0.25) / Math.max(1, nodeModules + git));
  await writeFile(path.join(CONTEXT, 'Dockerfile'), 'FROM scratch\nLABEL bench=context\n');
  await writeFile(path.join(CONTEXT, '.dockerignore'), 'node_modules\n.git\n');
  const jobs: [string, number][] = [];
  for (let i = 0; i < large; i++) jobs.push([path.join(CONTEXT, 'assets', `large-${i}.bin`), largeBytes]);
  for (let i = 0; i < included - large; i++)
    jobs.push([nestedPath(path.join(CONTEXT, 'src'), i), Math.floor(smallIncluded * (0.2 + ((i * 7919) % 160) / 100))]);
  for (let i = 0; i < nodeModules; i++) jobs.push([nestedPath(path.join(CONTEXT, 'node_modules'), i), smallExcluded]);
  for (let i = 0; i < git; i++) jobs.push([nestedPath(path.join(CONTEXT, '.git', 'objects'), i), smallExcluded]);
  for (let i = 0; i < jobs.length; i += 64) await Promise.all(jobs.slice(i, i + 64).map(([f, s]) => write(f, s)));
  await writeFile(marker, '');
}
