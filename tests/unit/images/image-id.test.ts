import { describe, expect, it } from 'vitest';
import { normalizeImageId, normalizeImageInfo } from '../../../src-main/core/images/image-id';

const hex = 'ff967f8afdb374ba2149bdf2eec24d402d2af3b9d72989b2280d4eb9b674423f';

describe('image IDs in one form whichever engine answered', () => {
  it("gives Podman's bare hex the sha256: Docker says, and leaves other forms alone", () => {
    expect(normalizeImageId(hex)).toBe(`sha256:${hex}`);
    expect(normalizeImageId(`sha256:${hex}`)).toBe(`sha256:${hex}`);
    // A short ID or a name is not an image ID: left as it is.
    expect(normalizeImageId(hex.slice(0, 12))).toBe(hex.slice(0, 12));
    expect(normalizeImageId('busybox:latest')).toBe('busybox:latest');
    expect(normalizeImageId(undefined)).toBeUndefined();
  });

  it('normalises an image-list entry and its parent, keeping an empty parent empty', () => {
    expect(normalizeImageInfo({ Id: `sha256:${hex}`, ParentId: hex, Size: 1 })).toEqual({
      Id: `sha256:${hex}`,
      ParentId: `sha256:${hex}`,
      Size: 1,
    });
    expect(normalizeImageInfo({ Id: hex, ParentId: '' })).toEqual({ Id: `sha256:${hex}`, ParentId: '' });
  });
});
