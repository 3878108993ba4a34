import { describe, expect, it } from 'vitest';
import { registryAuthHint } from '../../../src-main/core/build/registry-auth-hint';

describe('the hint for a registry that wants a login', () => {
  it('names what to do when the registry refused the anonymous pull, whichever builder said so', () => {
    for (const message of [
      'failed to solve with frontend dockerfile.v0: failed to create LLB definition: pulling from host 127.0.0.1:5000 failed with status code [manifests 1]: 401 Unauthorized',
      "pull access denied for private/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
      'failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized',
      'unauthorized: authentication required',
    ])
      expect(registryAuthHint(message)).toMatch(/^Hint: the registry wants credentials, and Strata sends none/);
  });

  it('stays quiet for other failures', () => {
    expect(
      registryAuthHint('failed to do request: dial tcp: lookup registry-1.docker.io: no such host'),
    ).toBeUndefined();
    expect(registryAuthHint('manifest for busybox:nope not found: manifest unknown')).toBeUndefined();
  });
});
