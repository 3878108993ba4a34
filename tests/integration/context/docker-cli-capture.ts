import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Run the real docker CLI's classic build (`DOCKER_BUILDKIT=0 docker build`) against a socket of our
 * own that answers only /_ping and /build, and return the build-context tar the CLI uploaded, byte for
 * byte. No engine is involved: DOCKER_HOST and DOCKER_CONFIG point at a private temp directory.
 */
export async function captureDockerCliContext(options: {
  contextDir: string;
  dockerfile?: string;
}): Promise<{ tar: Buffer; output: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'strata-cli-'));
  const socket = path.join(dir, 'docker.sock');
  let tar: Buffer | null = null;
  const server = http.createServer((req, res) => {
    const headers = { 'Api-Version': '1.41', Ostype: 'linux', 'Content-Type': 'application/json' };
    if (req.url?.endsWith('/_ping')) {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/plain' });
      res.end('OK');
      return;
    }
    if (req.method === 'POST' && req.url?.includes('/build')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        tar = Buffer.concat(chunks);
        res.writeHead(200, headers);
        res.end(JSON.stringify({ aux: { ID: 'sha256:' + '0'.repeat(64) } }) + '\n');
      });
      return;
    }
    res.writeHead(404, headers);
    res.end(JSON.stringify({ message: `not handled: ${req.method} ${req.url}` }));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  try {
    const args = ['build', ...(options.dockerfile ? ['-f', options.dockerfile] : []), options.contextDir];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('docker', args, {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          DOCKER_HOST: `unix://${socket}`,
          DOCKER_CONFIG: dir,
          DOCKER_BUILDKIT: '0',
        },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`docker build exited ${code}: ${out}`)),
      );
    });
    if (!tar) throw new Error(`the docker CLI sent no build context: ${output}`);
    return { tar, output };
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The installed docker CLI's `docker --version` line, or null when there is none: then a test that compares
 * against it warns that it skips `what`, and fails instead when STRATA_REQUIRE_ENGINE=1 says nothing may skip.
 */
export function dockerCliOrSkip(what: string): string | null {
  let version: string | null;
  try {
    version = execFileSync('docker', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    version = null;
  }
  if (!version) {
    if (process.env.STRATA_REQUIRE_ENGINE === '1')
      throw new Error('STRATA_REQUIRE_ENGINE=1 but the docker CLI is not installed');
    console.warn(`[skip] ${what}: the docker CLI is not installed`);
  }
  return version;
}
