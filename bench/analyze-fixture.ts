/**
 * The analyze benchmark's image, built offline: a generated rootfs (random files plus a static busybox)
 * imported with `docker import`, then layers that overwrite, chmod, delete and recreate parts of it.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const DIRS = 100;

export async function buildAnalyzeImage(
  work: string,
  spec: { image: string; base: string; mb: number; files: number },
): Promise<void> {
  const { image: IMAGE, base: BASE, mb: MB, files: FILES } = spec;
  const root = join(work, 'rootfs');
  const perFile = (MB * 1e6) / FILES;
  console.log(`generating ${FILES} files, ${MB} MB, in ${root}`);
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'tmp'), { recursive: true });
  await copyFile('/bin/busybox', join(root, 'bin/busybox'));
  const { stdout } = await exec('/bin/busybox', ['--list']);
  for (const applet of stdout.split('\n').filter((name) => name && name !== 'busybox')) {
    await symlink('busybox', join(root, 'bin', applet));
  }
  for (let d = 0; d < DIRS; d++) {
    const dir = join(root, 'usr/share/bench', `d${String(d).padStart(3, '0')}`);
    await mkdir(dir, { recursive: true });
    for (let f = d; f < FILES; f += DIRS) {
      const size = Math.max(1, Math.round(perFile * (0.2 + (1.6 * ((f * 7919) % 1000)) / 1000)));
      await writeFile(join(dir, `f${String(f).padStart(6, '0')}.bin`), randomBytes(size));
    }
  }
  console.log('importing the rootfs');
  await exec(
    'sh',
    [
      '-c',
      `tar -C ${root} --numeric-owner --owner=0 --group=0 -cf - . | docker import --change 'CMD ["sh"]' - ${BASE}`,
    ],
    {
      maxBuffer: 1 << 20,
    },
  );
  const dockerfile = [
    `FROM ${BASE}`,
    // Overwrite 10% of the files, chmod another 10% (copies them up), delete 10%, recreate a folder (opaque).
    'RUN for f in /usr/share/bench/d00?/*; do echo changed >> $f; done',
    'RUN chmod 600 /usr/share/bench/d01?/*',
    'RUN rm -rf /usr/share/bench/d02?',
    'RUN rm -rf /usr/share/bench/d030 && mkdir /usr/share/bench/d030 && echo new > /usr/share/bench/d030/new.txt',
    '',
  ].join('\n');
  console.log('building layers on top');
  await new Promise<void>((resolve, reject) => {
    const build = spawn('docker', ['build', '-q', '--network', 'none', '-t', IMAGE, '-'], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    build.stdin.end(dockerfile);
    build.on('error', reject);
    build.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`docker build exited ${code}`))));
  });
}

export async function imageExists(ref: string): Promise<boolean> {
  return exec('docker', ['image', 'inspect', ref]).then(
    () => true,
    () => false,
  );
}
