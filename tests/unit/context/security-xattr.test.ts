import { describe, expect, it } from 'vitest';
import { readCapability } from '../../../src-main/core/context/security-xattr';

// Revision 3 (setcap -n <rootid>, only settable inside a user namespace): magic 0x03000001, permitted
// cap_net_raw, then the namespace root uid 1000. go-archive sends it as revision 2, cut to 20 bytes.
const v3 = Buffer.from([1, 0, 0, 3, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xe8, 0x03, 0, 0]);
const v2 = Buffer.from([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

describe('readCapability (go-archive ReadSecurityXattrToTarHeader)', () => {
  it('converts a revision-3 value to revision 2 and drops the root uid', () => {
    expect(readCapability(() => v3, '/x')).toEqual(v2);
    expect(v3[3]).toBe(3); // the value read is not changed in place
  });
  it('passes a revision-2 value through, and treats none or an error as no attribute', () => {
    expect(readCapability(() => v2, '/x')).toEqual(v2);
    expect(readCapability(() => null, '/x')).toBeNull();
    expect(
      readCapability(() => {
        throw new Error('ENOTSUP');
      }, '/x'),
    ).toBeNull();
  });
});
