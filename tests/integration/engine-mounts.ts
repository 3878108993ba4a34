import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * After a test's own engine was killed mid-build and then stopped: BuildKit's executor mounts (and the data
 * root's) outlive the daemon, so the engine's folder cannot be deleted. Unmount what lies under that folder —
 * only there, deepest first — so the test leaves nothing behind.
 */
export function unmountUnder(dir: string): void {
  const prefix = `${dir.replace(/\/+$/, '')}/`;
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1]?.replace(/\\040/g, ' '))
    .filter((point): point is string => !!point && point.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) {
    try {
      execFileSync('umount', [point], { stdio: 'ignore' });
    } catch {
      execFileSync('umount', ['-l', point], { stdio: 'ignore' });
    }
  }
}
