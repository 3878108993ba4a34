import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * A throwaway machine on the real filesystem: a home dir, and a root that stands in for `/` so that
 * system paths (/var/run/docker.sock, /run/podman/podman.sock, Windows pipes) can be made to exist or not
 * without touching the real ones. `exists` is a real stat() through that mapping.
 */
export interface TempMachine {
  base: string;
  home: string;
  runtimeDir: string;
  /** Where a path really lives: under base as is, anything else under the stand-in root. */
  real(path: string): string;
  exists(path: string): Promise<boolean>;
  /** A plain file at the path (the probe counts any existing path as present). */
  place(path: string, content?: string): Promise<void>;
  writeJson(path: string, value: unknown): Promise<void>;
  /** A real listening unix socket at the path. */
  listen(path: string): Promise<void>;
  cleanup(): Promise<void>;
}

export async function tempMachine(): Promise<TempMachine> {
  const base = await mkdtemp(join(tmpdir(), 'strata-disc-'));
  const home = join(base, 'home');
  const runtimeDir = join(base, 'run-user');
  const root = join(base, 'root');
  await mkdir(home, { recursive: true });
  await mkdir(runtimeDir, { recursive: true });
  const servers: Server[] = [];
  const real = (path: string) => (path.startsWith(base) ? path : join(root, path));
  const place = async (path: string, content = '') => {
    await mkdir(dirname(real(path)), { recursive: true });
    await writeFile(real(path), content);
  };
  return {
    base,
    home,
    runtimeDir,
    real,
    exists: (path) =>
      stat(real(path)).then(
        () => true,
        () => false,
      ),
    place,
    writeJson: (path, value) => place(path, JSON.stringify(value)),
    listen: async (path) => {
      await mkdir(dirname(real(path)), { recursive: true });
      const server = createServer((socket) => socket.end());
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(real(path), resolve);
      });
    },
    cleanup: async () => {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      await rm(base, { recursive: true, force: true });
    },
  };
}
