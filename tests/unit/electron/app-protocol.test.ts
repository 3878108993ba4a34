import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_INDEX_URL,
  appProtocolResponse,
  isAppPageUrl,
  resolveAppPath,
} from '../../../src-main/electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/web/csp';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'strata-app-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>Strata</title>');
  await writeFile(join(root, 'assets', 'main.js'), 'console.log(1)');
  // A file beside the renderer folder, and one whose name starts like it: neither may be served.
  await writeFile(join(base, 'secret.txt'), 'secret');
  await mkdir(join(base, 'renderer-other'));
  await writeFile(join(base, 'renderer-other', 'x.js'), 'x');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('app:// path resolution', () => {
  it('maps the page and its assets into the renderer folder', () => {
    expect(resolveAppPath(root, APP_INDEX_URL)).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://strata/')).toBe(join(root, 'index.html'));
    expect(resolveAppPath(root, 'app://strata/assets/main.js?v=1#x')).toBe(join(root, 'assets', 'main.js'));
    expect(resolveAppPath(root, 'app://strata/assets/a%20b.js')).toBe(join(root, 'assets', 'a b.js'));
  });

  it('never leaves the folder, however the way out is spelled', () => {
    // The URL parser already folds plain and %2e dot segments into the root: they stay inside.
    for (const url of [
      'app://strata/../secret.txt',
      'app://strata/%2e%2e/secret.txt',
      'app://strata/%2Fetc%2Fpasswd',
    ]) {
      const file = resolveAppPath(root, url);
      expect(file?.startsWith(join(root, '/')), `${url} → ${file}`).toBe(true);
    }
    // Escaped separators survive the parser and only appear on decoding: refused.
    for (const url of [
      'app://strata/%2E%2E%2Fsecret.txt',
      'app://strata/assets/..%2F..%2Fsecret.txt',
      'app://strata/..%2Frenderer-other/x.js',
      'app://strata/..%5Csecret.txt',
      'app://strata/index.html%00.js',
      'app://strata/%E0%A4%A',
      'app://other/index.html',
      'app://strata:1/index.html',
      'file:///etc/passwd',
      'https://strata/index.html',
      'not a url',
    ]) {
      expect(resolveAppPath(root, url), url).toBeUndefined();
    }
  });

  it('knows our page whatever its fragment, and nothing else', () => {
    expect(isAppPageUrl(`${APP_INDEX_URL}#images`)).toBe(true);
    expect(isAppPageUrl(APP_INDEX_URL)).toBe(true);
    expect(isAppPageUrl('file:///app/dist/renderer/index.html')).toBe(false);
    expect(isAppPageUrl('app://strata/other.html')).toBe(false);
    expect(isAppPageUrl('app://evil/index.html')).toBe(false);
  });
});

describe('app:// responses', () => {
  it('serves a file with its type and the CSP header', async () => {
    const res = await appProtocolResponse(root, new Request(APP_INDEX_URL));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await res.text()).toContain('<title>Strata</title>');
    const js = await appProtocolResponse(root, new Request('app://strata/assets/main.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 403 for a way out, 404 for an absent file or a folder, 405 for a write', async () => {
    expect((await appProtocolResponse(root, new Request('app://strata/assets/..%2F..%2Fsecret.txt'))).status).toBe(403);
    expect((await appProtocolResponse(root, new Request('app://strata/nope.js'))).status).toBe(404);
    expect((await appProtocolResponse(root, new Request('app://strata/assets'))).status).toBe(404);
    const post = new Request(APP_INDEX_URL, { method: 'POST', body: 'x' });
    expect((await appProtocolResponse(root, post)).status).toBe(405);
  });
});
