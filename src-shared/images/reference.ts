/**
 * Docker's image reference grammar (distribution/reference, as `docker tag` and the engine apply it
 * through ParseNormalizedNamed), checked before the engine is called so a person sees why a name is
 * refused. Pure: safe to import from the renderer.
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain "/"] path-component ["/" path-component]*
 *   domain    := host [":" port]     (first component with "." or ":", or "localhost")
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *
 * Two dialects: `current` is github.com/distribution/reference (Docker Engine 25+, API 1.44+): an
 * upper-case first component is a registry host, IPv6 hosts in brackets are allowed, and the 255
 * character limit applies to the repository path. `legacy` is the docker/distribution copy vendored by
 * older engines (20.10 and kin): upper case in the first component is an error, no IPv6 hosts, and the
 * limit applies to the whole normalized name including `docker.io/library/`.
 */

export type ReferenceDialect = 'current' | 'legacy';

export interface ParsedReference {
  /** Registry host[:port] as typed; `docker.io` when none was given. */
  domain: string;
  /** Repository path on that registry, e.g. `library/busybox`. */
  path: string;
  /** The repository as Docker shows it: `busybox`, `team/app`, `registry:5000/app`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export type ReferenceProblem =
  | 'empty'
  | 'identifier'
  | 'uppercase'
  | 'invalid-format'
  | 'name-too-long'
  | 'invalid-tag'
  | 'invalid-digest'
  | 'not-allowed';

export type ReferenceCheck =
  { ok: true; reference: ParsedReference } | { ok: false; problem: ReferenceProblem; reason: string };

export interface ReferenceOptions {
  dialect?: ReferenceDialect;
}

const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
const NAME_MAX = 255;

const identifierPattern = /^[a-f0-9]{64}$/;
const pathComponentPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const domainNamePattern =
  /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*$/;
const ipv6HostPattern = /^\[[a-fA-F0-9:]+\]$/;
const portPattern = /^[0-9]+$/;
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const digestHexLength: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

const TAG_RULE = 'a tag is 1 to 128 letters, digits, "_", "." or "-", and cannot start with "." or "-"';
const COMPONENT_RULE =
  'repository path components are lower-case letters and digits, joined by one ".", one or two "_", or any number of "-", and cannot start or end with a separator';

function fail(problem: ReferenceProblem, reason: string): ReferenceCheck {
  return { ok: false, problem, reason };
}

function isLowerCase(s: string): boolean {
  return s.toLowerCase() === s;
}

/** Whether `host[:port]` is a registry host Docker accepts. */
function isDomain(candidate: string, dialect: ReferenceDialect): boolean {
  let host = candidate;
  let port: string | undefined;
  if (dialect === 'current' && candidate.startsWith('[')) {
    const close = candidate.indexOf(']');
    if (close < 0) return false;
    host = candidate.slice(0, close + 1);
    const rest = candidate.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) return false;
      port = rest.slice(1);
    }
    return ipv6HostPattern.test(host) && (port === undefined || portPattern.test(port));
  }
  const colon = candidate.indexOf(':');
  if (colon >= 0) {
    host = candidate.slice(0, colon);
    port = candidate.slice(colon + 1);
  }
  return domainNamePattern.test(host) && (port === undefined || portPattern.test(port));
}

/** distribution/reference splitDockerDomain: decide whether the first component is a registry host. */
function splitDomain(name: string, dialect: ReferenceDialect): { domain: string; remainder: string } {
  const slash = name.indexOf('/');
  if (slash < 0) return { domain: DEFAULT_DOMAIN, remainder: OFFICIAL_PREFIX + name };
  const first = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let domain: string;
  let remainder: string;
  const looksLikeHost =
    first === 'localhost' ||
    /[.:]/.test(first) ||
    (dialect === 'current' && !isLowerCase(first)) ||
    first === LEGACY_DEFAULT_DOMAIN;
  if (looksLikeHost) {
    domain = first === LEGACY_DEFAULT_DOMAIN ? DEFAULT_DOMAIN : first;
    remainder = rest;
  } else {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_PREFIX + remainder;
  return { domain, remainder };
}

function checkComponents(domain: string, components: string[], dialect: ReferenceDialect): ReferenceCheck | null {
  const empty = components.findIndex((c) => c === '');
  if (empty >= 0) {
    return fail(
      'invalid-format',
      'invalid reference format: the repository has an empty path component (a "/" too many)',
    );
  }
  const domainOk = isDomain(domain, dialect);
  const bad = components.find((c) => !pathComponentPattern.test(c));
  if (bad !== undefined) {
    return fail(
      'invalid-format',
      `invalid reference format: "${bad}" is not a valid path component; ${COMPONENT_RULE}`,
    );
  }
  if (!domainOk && !pathComponentPattern.test(domain)) {
    return fail(
      'invalid-format',
      `invalid reference format: "${domain}" is not a valid registry host[:port] (letters, digits and "-" in dot-separated labels, then an optional numeric port)`,
    );
  }
  return null;
}

function checkDigest(digest: string): ReferenceCheck | null {
  if (!digestPattern.test(digest)) {
    return fail(
      'invalid-digest',
      `invalid digest "${digest}": a digest is algorithm:hex, e.g. sha256: and 64 hex digits`,
    );
  }
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = digestHexLength[algorithm];
  if (length === undefined) {
    return fail('invalid-digest', `unsupported digest algorithm "${algorithm}": use sha256, sha384 or sha512`);
  }
  if (hex.length !== length || !/^[a-f0-9]+$/.test(hex)) {
    return fail('invalid-digest', `invalid ${algorithm} digest: it needs exactly ${length} lower-case hex digits`);
  }
  return null;
}

/** The familiar form Docker prints: `docker.io/library/x` → `x`, `docker.io/team/x` → `team/x`. */
function familiarRepository(domain: string, path: string): string {
  if (domain !== DEFAULT_DOMAIN) return `${domain}/${path}`;
  if (path.startsWith(OFFICIAL_PREFIX) && !path.slice(OFFICIAL_PREFIX.length).includes('/')) {
    return path.slice(OFFICIAL_PREFIX.length);
  }
  return path;
}

/** Parse and validate `name[:tag][@digest]` the way the engine's ParseNormalizedNamed does. */
export function parseReference(input: string, options: ReferenceOptions = {}): ReferenceCheck {
  const dialect = options.dialect ?? 'current';
  if (input === '') return fail('empty', 'the repository name is empty: enter a name such as myapp or team/myapp');
  if (/\s/.test(input)) return fail('invalid-format', 'invalid reference format: a reference cannot contain spaces');
  if (identifierPattern.test(input)) {
    return fail(
      'identifier',
      `invalid repository name (${input}): a 64-character hexadecimal string is an image ID, not a repository name`,
    );
  }
  const at = input.indexOf('@');
  const namePart = at >= 0 ? input.slice(0, at) : input;
  const digest = at >= 0 ? input.slice(at + 1) : undefined;
  if (namePart === '' || namePart.startsWith(':')) {
    return fail('invalid-format', 'invalid reference format: the repository name is missing');
  }

  const { domain, remainder } = splitDomain(namePart, dialect);
  const lastSlash = remainder.lastIndexOf('/');
  const tagColon = remainder.indexOf(':', lastSlash + 1);
  const remote = tagColon >= 0 ? remainder.slice(0, tagColon) : remainder;
  const tag = tagColon >= 0 ? remainder.slice(tagColon + 1) : undefined;
  const firstColon = remainder.indexOf(':');
  const remoteForCase = firstColon >= 0 ? remainder.slice(0, firstColon) : remainder;
  if (!isLowerCase(remoteForCase)) {
    return fail(
      'uppercase',
      `invalid reference format: repository name (${remoteForCase}) must be lowercase; use "${remoteForCase.toLowerCase()}"`,
    );
  }
  if (remote.includes(':')) {
    return fail('invalid-format', 'invalid reference format: only the tag may follow a ":" after the last "/"');
  }

  const componentProblem = checkComponents(domain, remote.split('/'), dialect);
  if (componentProblem) return componentProblem;

  const path = isDomain(domain, dialect) ? remote : `${domain}/${remote}`;
  const measured = dialect === 'current' ? path.length : domain.length + 1 + remote.length;
  if (measured > NAME_MAX) {
    return fail(
      'name-too-long',
      `repository name must not be more than ${NAME_MAX} characters (it has ${measured}${dialect === 'legacy' && domain === DEFAULT_DOMAIN ? ', counting the implied docker.io/ prefix' : ''})`,
    );
  }
  if (tag !== undefined && !tagPattern.test(tag)) return fail('invalid-tag', `invalid tag "${tag}": ${TAG_RULE}`);
  if (digest !== undefined) {
    const digestProblem = checkDigest(digest);
    if (digestProblem) return digestProblem;
  }
  return {
    ok: true,
    reference: {
      domain,
      path: remote,
      repository: familiarRepository(domain, remote),
      ...(tag !== undefined ? { tag } : {}),
      ...(digest !== undefined ? { digest } : {}),
    },
  };
}

/** Validate a tag on its own. */
export function validateTag(tag: string): { ok: true } | { ok: false; problem: ReferenceProblem; reason: string } {
  if (tag === '') return { ok: false, problem: 'invalid-tag', reason: `the tag is empty: ${TAG_RULE}` };
  if (!tagPattern.test(tag)) return { ok: false, problem: 'invalid-tag', reason: `invalid tag "${tag}": ${TAG_RULE}` };
  return { ok: true };
}

export interface TagTarget {
  repository: string;
  /** Defaults to `latest`, as `docker tag` does. */
  tag?: string;
  dialect?: ReferenceDialect;
}

/**
 * Validate what `docker tag SOURCE repository:tag` would create: a repository without tag or digest,
 * a valid tag, and the names the engine refuses on top of the grammar.
 */
export function validateTagTarget(target: TagTarget): ReferenceCheck {
  const tag = target.tag ?? 'latest';
  const repository = target.repository;
  if (repository.includes('@')) {
    return fail('not-allowed', 'a tag cannot be created with a digest reference: remove the "@..." part');
  }
  const parsed = parseReference(repository, target);
  if (!parsed.ok) return parsed;
  if (parsed.reference.tag !== undefined) {
    return fail(
      'not-allowed',
      `"${repository}" already ends in a tag (":${parsed.reference.tag}"): put the tag in the tag field`,
    );
  }
  const tagCheck = validateTag(tag);
  if (!tagCheck.ok) return fail(tagCheck.problem, tagCheck.reason);
  if (parsed.reference.repository === 'sha256') {
    return fail(
      'not-allowed',
      'refusing to create an ambiguous tag using digest algorithm as name: choose another repository name',
    );
  }
  return { ok: true, reference: { ...parsed.reference, tag } };
}

/** `repository:tag` as Docker prints it. */
export function formatReference(reference: ParsedReference): string {
  return `${reference.repository}${reference.tag !== undefined ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
}

/** The reference dialect an engine applies, from its API version (distribution/reference arrived with API 1.44). */
export function dialectForApiVersion(apiVersion: string | undefined): ReferenceDialect {
  if (!apiVersion) return 'current';
  const [major, minor] = apiVersion.split('.').map((n) => Number.parseInt(n, 10));
  if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) return 'current';
  return major > 1 || minor >= 44 ? 'current' : 'legacy';
}

/**
 * A name the engine gave (`RepoTags`, `RepoDigests`) in the form Docker prints. Podman's API answers with
 * fully qualified names (`docker.io/team/x:1`, `docker.io/library/x:1`) where Docker says `team/x:1` and
 * `x:1`; both engines accept the familiar form back.
 */
export function familiarName(name: string): string {
  if (!name.startsWith(`${DEFAULT_DOMAIN}/`)) return name;
  const rest = name.slice(DEFAULT_DOMAIN.length + 1);
  const end = rest.search(/[:@]/);
  const path = end === -1 ? rest : rest.slice(0, end);
  return familiarRepository(DEFAULT_DOMAIN, path) + (end === -1 ? '' : rest.slice(end));
}

/** familiarName over a list, keeping the engine's order. */
export function familiarNames(names: readonly string[] | null | undefined): string[] {
  return (names ?? []).map(familiarName);
}
