import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, cspMetaTag } from '../../../src-main/web/csp';

const indexHtml = readFileSync(join(import.meta.dirname, '../../../src-renderer/index.html'), 'utf8');

/** The directives of a policy, by name. */
function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split(';').map(
      (d) =>
        d
          .trim()
          .split(/\s+(.*)/s)
          .slice(0, 2) as [string, string],
    ),
  );
}

describe('the page’s CSP', () => {
  it('is written into index.html’s head from the same directives the headers send, less frame-ancestors', () => {
    const html = cspMetaTag(indexHtml);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)" \/>/.exec(html);
    expect(meta, 'the built page carries a CSP meta tag').not.toBeNull();
    expect(html.indexOf(meta![0])).toBeLessThan(html.indexOf('</head>'));
    const header = directives(CONTENT_SECURITY_POLICY);
    header.delete('frame-ancestors');
    expect(directives(meta![1]!)).toEqual(header);
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('refuses a page that lost its marker, rather than build it without a CSP', () => {
    expect(() => cspMetaTag('<html><head></head></html>')).toThrow(/put it back in <head>/);
  });
});
