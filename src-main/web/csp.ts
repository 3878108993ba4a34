/**
 * The page's Content-Security-Policy, the one copy: the Electron window's app:// responses and the browser
 * preview's send it as a header, and the build writes it into index.html's meta tag (see cspMetaTag). Scripts
 * only from our own files; styles may be inline because CodeMirror and xterm.js add <style> elements at run
 * time; connections only to our own origin.
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** Where index.html wants the meta tag; the renderer build replaces it. */
const CSP_META_MARKER = '<!-- Content-Security-Policy: written here by the build, from src-main/web/csp.ts -->';

/**
 * index.html with its CSP meta tag written in place of the marker. A meta tag cannot carry frame-ancestors
 * (browsers ignore it there and warn), so it holds every other directive; the header holds all of them.
 */
export function cspMetaTag(html: string): string {
  if (!html.includes(CSP_META_MARKER)) {
    throw new Error(`index.html has no "${CSP_META_MARKER}" line: put it back in <head> so the page carries its CSP.`);
  }
  const policy = DIRECTIVES.filter((d) => !d.startsWith('frame-ancestors ')).join('; ');
  return html.replace(CSP_META_MARKER, `<meta http-equiv="Content-Security-Policy" content="${policy}" />`);
}
