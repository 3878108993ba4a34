import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** One host key line of an OpenSSH known_hosts file. */
interface KnownHostEntry {
  marker?: 'revoked' | 'cert-authority';
  patterns: string;
  keyType: string;
  key: Buffer;
}

export type HostKeyVerdict =
  { result: 'known' } | { result: 'unknown' } | { result: 'changed'; knownTypes: string[] } | { result: 'revoked' };

/** How OpenSSH names a host in known_hosts: the bare name on port 22, `[name]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * The known_hosts line for a newly accepted host key, as ssh writes it: the host's name, or with HashKnownHosts
 * its HMAC-SHA1 under a fresh 20-byte salt (`|1|salt|hash`), so the file does not list the hosts it knows.
 */
export function knownHostsLine(name: string, keyType: string, key: Buffer, hashed: boolean): string {
  if (!hashed) return `${name} ${keyType} ${key.toString('base64')}\n`;
  const salt = randomBytes(20);
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')} ${keyType} ${key.toString('base64')}\n`;
}

/** Parse known_hosts text; comments, blank and malformed lines are skipped as ssh does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields.shift() === '@revoked' ? 'revoked' : 'cert-authority';
    }
    const [patterns, keyType, key] = fields;
    if (!patterns || !keyType || !key || !/^[A-Za-z0-9+/]+=*$/.test(key)) continue;
    entries.push({ marker, patterns, keyType, key: Buffer.from(key, 'base64') });
  }
  return entries;
}

/** Does a host-pattern field (comma-separated, wildcards, `!` negation, or one `|1|salt|hash`) name this host? */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) return hashedMatch(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (!wildcard(body).test(name.toLowerCase())) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function hashedMatch(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * Check the key a server presented against known_hosts entries, as ssh with StrictHostKeyChecking does:
 * a revoked key is refused, a listed key is accepted, a host listed only with other keys has changed
 * (possibly someone in the middle), and a host not listed at all is unknown.
 */
export function checkHostKey(entries: KnownHostEntry[], name: string, presented: Buffer): HostKeyVerdict {
  if (entries.some((e) => e.marker === 'revoked' && e.key.equals(presented))) return { result: 'revoked' };
  const forHost = entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, name));
  if (forHost.some((e) => e.key.equals(presented))) return { result: 'known' };
  if (forHost.length > 0) return { result: 'changed', knownTypes: [...new Set(forHost.map((e) => e.keyType))] };
  return { result: 'unknown' };
}

/** The key types known_hosts lists for this host, so the server is asked for one of those (as ssh does). */
export function knownKeyTypes(entries: KnownHostEntry[], name: string): string[] {
  return [
    ...new Set(entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, name)).map((e) => e.keyType)),
  ];
}
