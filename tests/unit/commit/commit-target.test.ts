import { describe, expect, it } from 'vitest';
import { commitTarget } from '../../../src-main/core/commit/commit-container';
import type { StrataError } from '$shared/engine/errors';

function refusal(reference: string, dialect?: 'current' | 'legacy'): StrataError {
  try {
    commitTarget({ reference, ...(dialect ? { dialect } : {}) });
  } catch (err) {
    return err as StrataError;
  }
  throw new Error(`expected ${reference} to be refused`);
}

describe('commitTarget', () => {
  it('splits repository and tag, defaulting the tag to latest', () => {
    expect(commitTarget({ reference: 'strata-demo/box:v1' })).toEqual({ repository: 'strata-demo/box', tag: 'v1' });
    expect(commitTarget({ reference: ' app ' })).toEqual({ repository: 'app', tag: 'latest' });
    expect(commitTarget({ reference: 'localhost:5000/team/app:1.0' })).toEqual({
      repository: 'localhost:5000/team/app',
      tag: '1.0',
    });
  });

  it('means an untagged image when empty', () => {
    expect(commitTarget({})).toBeUndefined();
    expect(commitTarget({ reference: '   ' })).toBeUndefined();
  });

  it('refuses invalid references with the reason, marked as the reference field', () => {
    const upper = refusal('MyApp:1');
    expect(upper.code).toBe('invalid-input');
    expect(upper.details).toMatchObject({ field: 'reference', problem: 'uppercase' });
    expect(upper.message).toMatch(/must be lowercase/);
    expect(refusal('app:-bad').details?.problem).toBe('invalid-tag');
    expect(refusal('a b').details?.problem).toBe('invalid-format');
  });

  it('refuses a digest reference', () => {
    const err = refusal(`app@sha256:${'a'.repeat(64)}`);
    expect(err.details?.problem).toBe('not-allowed');
    expect(err.message).toMatch(/digest/);
  });
});
