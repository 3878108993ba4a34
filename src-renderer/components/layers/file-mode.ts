import type { EntryKind } from '../../../src-main/ipc/contract/core-types';

const typeChar: Record<EntryKind, string> = {
  file: '-',
  hardlink: '-',
  symlink: 'l',
  directory: 'd',
  'char-device': 'c',
  'block-device': 'b',
  fifo: 'p',
  other: '?',
};

/** `ls -l`'s mode column ("drwxr-xr-x", "-rwsr-xr-x"), from a tar entry's kind and permission bits. */
export function modeString(kind: EntryKind, mode: number): string {
  const bit = (mask: number, char: string) => (mode & mask ? char : '-');
  // setuid, setgid and sticky replace the execute letter: lower case when execute is set too.
  const special = (exec: number, flag: number, set: string) =>
    mode & flag ? (mode & exec ? set : set.toUpperCase()) : bit(exec, 'x');
  return (
    typeChar[kind] +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    special(0o100, 0o4000, 's') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    special(0o010, 0o2000, 's') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    special(0o001, 0o1000, 't')
  );
}
