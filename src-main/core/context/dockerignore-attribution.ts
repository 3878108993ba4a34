import type { DockerignorePattern } from './dockerignore-pattern';
import { goDir } from '$shared/go/text';

/**
 * Which `.dockerignore` rule decided a path. Docker's own walk (PatternMatcher.matchesUsingParentResults)
 * skips patterns that cannot change its answer, so it never learns the rule: it only knows excluded or
 * not. The rule a person wants is the one Docker documents, "the last line that matches a path decides":
 * here every pattern is tested (against the path, and through the parent's results against its folders),
 * and the answer is the last matching pattern of the kind that agrees with Docker's decision.
 */

/** For each pattern: 1 when it matches the path itself or one of its parent folders. */
export type RuleMatches = Uint8Array;

function safeMatch(pattern: DockerignorePattern, path: string): boolean {
  try {
    return pattern.matches(path);
  } catch {
    // A malformed pattern fails the walk itself with its line; here it simply matches nothing.
    return false;
  }
}

/**
 * Every pattern's match for `file`, given its parent folder's matches (a pattern matching a folder matches
 * everything below it, as in Docker). Without the parent's matches, every parent prefix is tested.
 */
export function ruleMatches(patterns: readonly DockerignorePattern[], file: string, parent?: RuleMatches): RuleMatches {
  const out = new Uint8Array(patterns.length);
  const dirs = parent ? [] : goDir(file) === '.' ? [] : goDir(file).split('/');
  patterns.forEach((pattern, i) => {
    if (parent?.[i] || safeMatch(pattern, file)) {
      out[i] = 1;
      return;
    }
    for (let j = 0; j < dirs.length; j++) {
      if (safeMatch(pattern, dirs.slice(0, j + 1).join('/'))) {
        out[i] = 1;
        return;
      }
    }
  });
  return out;
}

/**
 * The index of the rule behind Docker's decision: for an excluded path, the last matching exclusion
 * pattern; for a sent path, the last matching `!` pattern when an exclusion pattern also matches (a
 * re-inclusion), else undefined (nothing excluded it).
 */
export function decidingRule(
  patterns: readonly DockerignorePattern[],
  matches: RuleMatches,
  excluded: boolean,
): number | undefined {
  if (!excluded && !patterns.some((p, i) => !p.exclusion && matches[i])) return undefined;
  for (let i = patterns.length - 1; i >= 0; i--) {
    if (matches[i] && (patterns[i] as DockerignorePattern).exclusion !== excluded) return i;
  }
  return undefined;
}

/**
 * For a path Docker never looks at (inside an excluded folder it does not descend), the `!` pattern that
 * would have re-included it had Docker looked: the last matching pattern, when that is an exception.
 */
export function unreachedException(patterns: readonly DockerignorePattern[], matches: RuleMatches): number | undefined {
  for (let i = patterns.length - 1; i >= 0; i--) {
    if (matches[i]) return (patterns[i] as DockerignorePattern).exclusion ? i : undefined;
  }
  return undefined;
}
