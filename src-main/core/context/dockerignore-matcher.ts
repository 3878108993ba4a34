/*
 * `.dockerignore` matching, a line-for-line port of moby/patternmatcher v0.6.1 (the version docker/cli
 * vendors), Unix flavour (`/` separator, `\` escapes).
 *
 * Hand-written rather than taken from npm: @balena/dockerignore (the matcher dockerode uses) disagrees
 * with Docker on 23 of the 231 upstream match cases in tests/fixtures/conformance/dockerignore/cases.json —
 * it matches case-insensitively by default, escapes only `.` and `$` (so `+ ( ) | { }` in names
 * break), accepts patterns Docker rejects (a lone `!`, malformed `[...]`) and strips a BOM from every
 * line.
 */
import { StrataError } from '$shared/engine/errors';
import { isValidGlob } from './dockerignore-glob';
import { DockerignorePattern } from './dockerignore-pattern';
import { goCleanPath, goDir, trimGoSpace } from '$shared/go/text';

/** A pattern as given to the matcher, optionally with the ignore-file line it came from. */
export type PatternInput = string | { text: string; line?: number };

/** Raised for a pattern Docker rejects; names the line when the pattern came from a file. */
export class DockerignoreError extends StrataError {
  constructor(
    /** The reason, in patternmatcher's words. */
    readonly reason: string,
    /** The offending pattern as written (after trimming). */
    readonly pattern: string,
    /** 1-based line in the ignore file, if known. */
    readonly line?: number,
    /** The ignore file, if known. */
    readonly file?: string,
  ) {
    super('invalid-input', `${file ? `${file}: ` : ''}${line !== undefined ? `line ${line}: ` : ''}${reason}`, {
      reason,
      pattern,
      ...(line !== undefined ? { line } : {}),
      ...(file ? { file } : {}),
    });
    this.name = 'DockerignoreError';
  }
}

/** The per-pattern results for a directory, passed down to its children (patternmatcher.MatchInfo). */
export interface MatchInfo {
  readonly parentMatched: readonly boolean[];
}

/** The outcome of matching one path during a walk. */
export interface WalkMatch {
  /** True when the path is excluded from the context. */
  excluded: boolean;
  /** Pass this to the children of the path when it is a directory. */
  info: MatchInfo;
  /** The pattern that decided an exclusion (the last matching non-exception pattern). */
  rule?: DockerignorePattern;
}

const EMPTY_INFO: MatchInfo = { parentMatched: [] };

/** patternmatcher.PatternMatcher: ordered patterns, later ones override earlier ones. */
export class PatternMatcher {
  private constructor(
    readonly patterns: readonly DockerignorePattern[],
    /** True if any pattern is a `!` exception. */
    readonly exclusions: boolean,
  ) {}

  /** patternmatcher.New: trim, drop empty, clean, split off `!`, reject malformed patterns. */
  static create(inputs: readonly PatternInput[], options: { file?: string } = {}): PatternMatcher {
    const patterns: DockerignorePattern[] = [];
    let exclusions = false;
    for (const input of inputs) {
      const raw = typeof input === 'string' ? input : input.text;
      const line = typeof input === 'string' ? undefined : input.line;
      let p = trimGoSpace(raw);
      if (p === '') continue;
      p = goCleanPath(p);
      let exclusion = false;
      if (p.startsWith('!')) {
        if (p.length === 1) throw new DockerignoreError('illegal exclusion pattern: "!"', p, line, options.file);
        exclusion = true;
        p = p.slice(1);
        exclusions = true;
      }
      if (!isValidGlob(p)) {
        throw new DockerignoreError(
          `syntax error in pattern: ${JSON.stringify((exclusion ? '!' : '') + p)}`,
          p,
          line,
          options.file,
        );
      }
      patterns.push(new DockerignorePattern(p, exclusion, line));
    }
    return new PatternMatcher(patterns, exclusions);
  }

  /**
   * The deprecated PatternMatcher.Matches: like matchesOrParentMatches but it tests only the parent
   * prefix with as many segments as the pattern has. docker/cli still uses it to decide whether the
   * Dockerfile and `.dockerignore` must be forced into a classic build's context.
   */
  matches(file: string): boolean {
    let matched = false;
    const parentPath = goDir(file);
    const parentDirs = parentPath.split('/');
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      let match = pattern.matches(file);
      if (!match && parentPath !== '.') {
        const dirs = pattern.cleaned.split('/').length;
        if (dirs <= parentDirs.length) match = safeMatch(pattern, parentDirs.slice(0, dirs).join('/'));
      }
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }

  /** MatchesExact: no parent matching at all. */
  matchesExact(file: string): boolean {
    let matched = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      if (pattern.matches(file)) matched = !pattern.exclusion;
    }
    return matched;
  }

  /** MatchesOrParentMatches: is the path, or any of its parent directories, excluded? */
  matchesOrParentMatches(file: string): boolean {
    return this.decide(file, EMPTY_INFO).excluded;
  }

  /** The deprecated MatchesUsingParentResult: one boolean for the whole parent (buggy with `!`). */
  matchesUsingParentResult(file: string, parentMatched: boolean): boolean {
    let matched = parentMatched;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      if (pattern.matches(file)) matched = !pattern.exclusion;
    }
    return matched;
  }

  /** MatchesUsingParentResults: match a path given its parent directory's results, as a walk does. */
  matchesUsingParentResults(file: string, parent: MatchInfo = EMPTY_INFO): WalkMatch {
    return this.decide(file, parent);
  }

  /**
   * go-archive's rule for an excluded directory: skip it (do not descend) unless some exception
   * pattern's text, plus `/`, starts with `<dir>/`. A literal prefix test, so `!**\/keep` does not
   * rescue anything below an excluded directory, exactly as in Docker.
   */
  canSkipExcludedDir(dir: string): boolean {
    if (!this.exclusions) return true;
    const prefix = dir + '/';
    return !this.patterns.some((p) => p.exclusion && (p.cleaned + '/').startsWith(prefix));
  }

  private decide(file: string, parent: MatchInfo): WalkMatch {
    const parentMatched = parent.parentMatched;
    if (parentMatched.length !== 0 && parentMatched.length !== this.patterns.length) {
      throw new Error('wrong number of values in parentMatched');
    }
    let matched = false;
    let rule: DockerignorePattern | undefined;
    const info: boolean[] = new Array<boolean>(this.patterns.length).fill(false);
    this.patterns.forEach((pattern, i) => {
      // A pattern the parent directory matched also matches everything below it.
      let match = parentMatched.length !== 0 ? (parentMatched[i] as boolean) : false;
      if (!match) {
        if (pattern.exclusion !== matched) return;
        match = pattern.matches(file);
        // Without the parent's results, test every parent prefix (MatchesOrParentMatches).
        if (!match && parentMatched.length === 0) {
          const parentPath = goDir(file);
          if (parentPath !== '.') {
            const dirs = parentPath.split('/');
            for (let j = 0; j < dirs.length && !match; j++) match = safeMatch(pattern, dirs.slice(0, j + 1).join('/'));
          }
        }
      }
      info[i] = match;
      if (match) {
        matched = !pattern.exclusion;
        rule = matched ? pattern : undefined;
      }
    });
    return { excluded: matched, info: { parentMatched: info }, ...(rule ? { rule } : {}) };
  }
}

// patternmatcher ignores errors when testing parent prefixes (`match, _ = pattern.match(...)`).
function safeMatch(pattern: DockerignorePattern, path: string): boolean {
  try {
    return pattern.matches(path);
  } catch {
    return false;
  }
}

/**
 * Top-level patternmatcher.MatchesOrParentMatches: clean the path; `.` (the context itself) is never
 * excluded.
 */
export function matchesOrParentMatches(file: string, patterns: readonly PatternInput[]): boolean {
  const pm = PatternMatcher.create(patterns);
  const cleaned = goCleanPath(file);
  if (cleaned === '.') return false;
  return pm.matchesOrParentMatches(cleaned);
}

/** Top-level deprecated patternmatcher.Matches (docker/cli's TrimBuildFilesFromExcludes uses it). */
export function matchesDeprecated(file: string, patterns: readonly PatternInput[]): boolean {
  const pm = PatternMatcher.create(patterns);
  const cleaned = goCleanPath(file);
  if (cleaned === '.') return false;
  return pm.matches(cleaned);
}
