import { describe, expect, it } from 'vitest';
import { DetachKeyWatcher, detachKeyBytes, DEFAULT_DETACH_KEYS } from '../../../src-main/core/containers/detach-keys';

describe('detachKeyBytes', () => {
  it('reads Docker detach-keys specs', () => {
    expect(detachKeyBytes(DEFAULT_DETACH_KEYS)).toEqual([0x10, 0x11]);
    expect(detachKeyBytes('ctrl-a,x')).toEqual([0x01, 0x78]);
    expect(detachKeyBytes('ctrl-@,ctrl-[,ctrl-_')).toEqual([0x00, 0x1b, 0x1f]);
  });

  it('rejects keys Docker would not accept', () => {
    expect(() => detachKeyBytes('ctrl-1')).toThrow(/not a character or ctrl-<letter>/);
    expect(() => detachKeyBytes('alt-x')).toThrow(/alt-x/);
  });
});

describe('DetachKeyWatcher', () => {
  it('notices the sequence typed in one write or across writes', () => {
    const one = new DetachKeyWatcher([0x10, 0x11]);
    expect(one.feed(Buffer.from('ls\r\x10\x11'))).toBe(true);
    const split = new DetachKeyWatcher([0x10, 0x11]);
    expect(split.feed(Buffer.from([0x10]))).toBe(false);
    expect(split.feed(Buffer.from([0x11]))).toBe(true);
    expect(split.detachTyped).toBe(true);
  });

  it('does not fire on an interrupted sequence', () => {
    const w = new DetachKeyWatcher([0x10, 0x11]);
    expect(w.feed(Buffer.from([0x10, 0x61, 0x11]))).toBe(false);
    expect(w.feed(Buffer.from([0x10, 0x10, 0x11]))).toBe(true);
  });
});
