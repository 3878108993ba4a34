import { describe, expect, it } from 'vitest';
import { compileDockerignore, readDockerignore } from '../../../src-main/core/context/dockerignore-file';
import {
  matchesDeprecated,
  matchesOrParentMatches,
  PatternMatcher,
  type MatchInfo,
} from '../../../src-main/core/context/dockerignore-matcher';
import { goCleanPath, goDir } from '$shared/go/text';
import {
  loadDockerignoreCases,
  type CompileCase,
  type MatchCase,
  type NewCase,
  type ParseCase,
} from './conformance-cases';

const cases = loadDockerignoreCases();
const matchCases = cases.filter((c): c is MatchCase => c.kind === 'match');
const parseCases = cases.filter((c): c is ParseCase => c.kind === 'parse');
const newCases = cases.filter((c): c is NewCase => c.kind === 'new');
const compileCases = cases.filter((c): c is CompileCase => c.kind === 'compile');

type Outcome = boolean | 'error';

function outcome(fn: () => boolean): Outcome {
  try {
    return fn();
  } catch {
    return 'error';
  }
}

/** The walk a tar writer does: match each parent directory in turn, passing its results down. */
function usingParentResults(pm: PatternMatcher, file: string): boolean {
  const parentPath = goDir(file);
  let info: MatchInfo = { parentMatched: [] };
  if (parentPath !== '.') {
    const dirs = parentPath.split('/');
    for (let i = 0; i < dirs.length; i++)
      info = pm.matchesUsingParentResults(dirs.slice(0, i + 1).join('/'), info).info;
  }
  return pm.matchesUsingParentResults(file, info).excluded;
}

/** go-archive's walk: same as above but on the cleaned path, `.` never excluded. */
function archiveWalk(patterns: string[], file: string): boolean {
  const pm = PatternMatcher.create(patterns);
  const cleaned = goCleanPath(file);
  if (cleaned === '.') return false;
  return usingParentResults(pm, cleaned);
}

function expected(c: MatchCase, agrees = true): Outcome {
  if (c.error) return 'error';
  return agrees ? c.excluded : !c.excluded;
}

describe('dockerignore conformance: counts', () => {
  it('has the documented number of cases of each kind', () => {
    expect(matchCases).toHaveLength(231);
    expect(parseCases).toHaveLength(26);
    expect(newCases).toHaveLength(6);
    expect(compileCases).toHaveLength(21);
  });
});

describe('dockerignore conformance: match (231 upstream cases)', () => {
  it.each(matchCases.map((c, i) => [i, c.patterns.join(' | '), c.path, c] as const))(
    '#%i patterns [%s] path %j',
    (_i, _p, _path, c) => {
      if (c.dockerignore !== undefined) {
        // ignorefile.ReadAll then the top-level MatchesOrParentMatches.
        expect(readDockerignore(c.dockerignore)).toEqual(c.patterns);
        const got = outcome(() => {
          const pm = compileDockerignore(c.dockerignore as string);
          const cleaned = goCleanPath(c.path);
          return cleaned === '.' ? false : pm.matchesOrParentMatches(cleaned);
        });
        expect(got).toBe(expected(c));
        if (c.error_value) expect(() => compileDockerignore(c.dockerignore as string)).toThrow(c.error_value);
      } else if (c.api.startsWith('patternmatcher.Matches (deprecated top-level')) {
        expect(outcome(() => matchesDeprecated(c.path, c.patterns))).toBe(expected(c));
      } else if (c.api.startsWith('PatternMatcher.MatchesOrParentMatches (called twice)')) {
        const pm = PatternMatcher.create(c.patterns);
        expect(outcome(() => pm.matchesOrParentMatches(c.path))).toBe('error');
        expect(outcome(() => pm.matchesOrParentMatches(c.path))).toBe('error');
      } else if (c.api.startsWith('PatternMatcher.')) {
        const got = outcome(() => {
          const pm = PatternMatcher.create(c.patterns);
          const a = pm.matchesOrParentMatches(c.path);
          const b = usingParentResults(pm, c.path);
          expect(b).toBe(a);
          return a;
        });
        expect(got).toBe(expected(c));
      } else {
        // dockerignore.Excluder.Wrap: raw patterns, a directory walk.
        expect(outcome(() => archiveWalk(c.patterns, c.path))).toBe(expected(c));
      }
      if (c.error_value && c.dockerignore === undefined) {
        expect(() => matchesDeprecated(c.path, c.patterns)).toThrow(
          c.error_value.includes('syntax error') ? 'syntax error in pattern' : c.error_value,
        );
      }
    },
  );

  it.each(matchCases.map((c, i) => [i, c] as const))('#%i agrees with every other API the case names', (_i, c) => {
    for (const [api, agrees] of Object.entries(c.same_result_with ?? {})) {
      const want = expected(c, agrees);
      if (api === 'MatchesOrParentMatches')
        expect(
          outcome(() => matchesOrParentMatches(c.path, c.patterns)),
          api,
        ).toBe(want);
      else if (api === 'Matches_deprecated')
        expect(
          outcome(() => matchesDeprecated(c.path, c.patterns)),
          api,
        ).toBe(want);
      else if (api.startsWith('MatchesUsingParentResults_walk'))
        expect(
          outcome(() => archiveWalk(c.patterns, c.path)),
          api,
        ).toBe(want);
      else throw new Error(`unknown api ${api}`);
    }
  });

  it('matches every case @balena/dockerignore gets wrong (23)', () => {
    const disagreements = matchCases.filter((c) => !c.balena_dockerignore_1_0_2.agrees);
    expect(disagreements).toHaveLength(23);
    for (const c of disagreements) {
      const got = outcome(() =>
        c.dockerignore !== undefined
          ? matchesOrParentMatches(c.path, readDockerignore(c.dockerignore))
          : matchesOrParentMatches(c.path, c.patterns),
      );
      expect(got, JSON.stringify(c.patterns) + ' ' + c.path).toBe(expected(c));
    }
  });
});

describe('dockerignore conformance: parse (ignorefile.ReadAll)', () => {
  it.each(parseCases.map((c) => [c.description ?? c.source, c] as const))('%s', (_d, c) => {
    expect(readDockerignore(c.input)).toEqual(c.expected_patterns);
  });
});

describe('dockerignore conformance: new (patternmatcher.New)', () => {
  it.each(newCases.map((c) => [c.source.split('#')[1], c] as const))('%s', (_d, c) => {
    if (c.error) {
      expect(() => PatternMatcher.create(c.patterns)).toThrow('illegal exclusion pattern: "!"');
      return;
    }
    const pm = PatternMatcher.create(c.patterns);
    if (c.expected_pattern_count !== undefined) expect(pm.patterns).toHaveLength(c.expected_pattern_count);
    if (c.expected_exclusions !== undefined) expect(pm.exclusions).toBe(c.expected_exclusions);
  });
});

describe('dockerignore conformance: compile (Pattern.compile)', () => {
  const types = { exactMatch: 'exact', prefixMatch: 'prefix', suffixMatch: 'suffix', regexpMatch: 'regexp' } as const;
  it.each(compileCases.map((c) => [c.pattern, c] as const))('%s', (_p, c) => {
    const [pattern] = PatternMatcher.create([c.pattern]).patterns;
    const compiled = pattern!.compile();
    expect(compiled.type).toBe(types[c.match_type]);
    if (c.match_type === 'regexpMatch') expect(compiled.goRegexp).toBe(c.regexp_slash);
  });
});
