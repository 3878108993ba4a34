import { StrataError } from '$shared/engine/errors';

/** Docker's default detach sequence, Ctrl+P then Ctrl+Q. */
export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

/**
 * Bytes of a detach-keys spec in Docker's syntax: comma-separated keys, each a single character or
 * `ctrl-<c>` where c is a letter or one of `@ [ \ ] ^ _` (as `docker attach --detach-keys`).
 */
export function detachKeyBytes(spec: string): number[] {
  const bytes: number[] = [];
  for (const key of spec.split(',')) {
    if (key.length === 1) {
      bytes.push(key.charCodeAt(0));
      continue;
    }
    const ctrl = /^ctrl-([a-z@[\\\]^_])$/i.exec(key);
    if (!ctrl) {
      throw new StrataError('invalid-input', `Detach key "${key}" is not a character or ctrl-<letter>.`, {
        field: 'detachKeys',
      });
    }
    const c = ctrl[1]!.toUpperCase().charCodeAt(0);
    bytes.push(c & 0x1f);
  }
  return bytes;
}

/** Watches bytes typed into a terminal for the detach sequence, even when it is split across writes. */
export class DetachKeyWatcher {
  private matched = 0;
  private seen = false;

  constructor(private readonly sequence: number[]) {}

  /** Feed typed bytes; true once the full sequence has been typed. */
  feed(data: Uint8Array): boolean {
    for (const byte of data) {
      if (byte === this.sequence[this.matched]) this.matched++;
      else this.matched = byte === this.sequence[0] ? 1 : 0;
      if (this.matched === this.sequence.length) {
        this.seen = true;
        this.matched = 0;
      }
    }
    return this.seen;
  }

  get detachTyped(): boolean {
    return this.seen;
  }
}
