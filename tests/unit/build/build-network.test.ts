import { describe, expect, it } from 'vitest';
import { buildNetworkHint } from '../../../src-main/core/build/build-network';

describe('buildNetworkHint', () => {
  it('explains a missing default bridge with what works instead', () => {
    const hint = buildNetworkHint(
      'executor failed running [/bin/sh -c echo hi]: network bridge not found',
      'buildkit',
      undefined,
    );
    expect(hint).toMatch(/no "bridge" network\. Choose Automatic/);
  });

  it('names a missing network the user chose', () => {
    expect(buildNetworkHint('network mynet not found', 'classic', 'mynet')).toMatch(/no network "mynet"/);
  });

  it("explains BuildKit's refusal of a named network", () => {
    expect(buildNetworkHint('network mode "bridge" not supported by buildkit', 'buildkit', 'bridge')).toMatch(
      /only with the default network, None or Host/,
    );
  });

  it('says nothing about failures that are not the network', () => {
    expect(
      buildNetworkHint('The command /bin/sh -c false returned a non-zero code: 1', 'classic', 'none'),
    ).toBeUndefined();
  });
});
