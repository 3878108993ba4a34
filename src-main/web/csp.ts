/**
 * The page's Content-Security-Policy, for the browser preview's headers (the page carries the same in a
 * meta tag for the Electron window). Scripts only from our own files; styles may be inline because
 * CodeMirror and xterm.js add <style> elements at run time; connections only to our own origin.
 */
export const CONTENT_SECURITY_POLICY = [
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
].join('; ');
