import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PatternMatcher, type MatchInfo } from '../../../src-main/core/context/dockerignore-matcher';
import { goDir } from '$shared/go/text';

interface DifferentialCase {
  patterns: string[];
  path: string;
  new?: 'error';
  matchesOrParentMatches?: string;
  usingParentResults?: string;
  matchesDeprecated?: string;
}

// Random patterns and paths whose expected results were recorded from moby/patternmatcher v0.6.1 itself
// (see the `about` line of the file).
const lines = readFileSync(path.join(import.meta.dirname, 'fixtures/patternmatcher-differential.jsonl'), 'utf8')
  .trim()
  .split('\n');
const cases = lines.slice(1).map((l) => JSON.parse(l) as DifferentialCase);

function result(fn: () => boolean): string {
  try {
    return String(fn());
  } catch {
    return 'error';
  }
}

function walk(pm: PatternMatcher, file: string): boolean {
  const parent = goDir(file);
  let info: MatchInfo = { parentMatched: [] };
  if (parent !== '.') {
    const dirs = parent.split('/');
    for (let i = 0; i < dirs.length; i++)
      info = pm.matchesUsingParentResults(dirs.slice(0, i + 1).join('/'), info).info;
  }
  return pm.matchesUsingParentResults(file, info).excluded;
}

describe('differential against moby/patternmatcher v0.6.1', () => {
  it('has a few thousand recorded cases of every outcome', () => {
    expect(cases.length).toBeGreaterThan(2500);
    expect(cases.some((c) => c.new === 'error')).toBe(true);
    expect(cases.some((c) => c.matchesOrParentMatches === 'true')).toBe(true);
    expect(cases.some((c) => c.matchesOrParentMatches === 'error')).toBe(true);
  });

  it('agrees on every case, for New, MatchesOrParentMatches, a parent-results walk and deprecated Matches', () => {
    const mismatches: string[] = [];
    for (const c of cases) {
      let got: Omit<DifferentialCase, 'patterns' | 'path'>;
      try {
        PatternMatcher.create(c.patterns);
        got = {
          matchesOrParentMatches: result(() => PatternMatcher.create(c.patterns).matchesOrParentMatches(c.path)),
          usingParentResults: result(() => walk(PatternMatcher.create(c.patterns), c.path)),
          matchesDeprecated: result(() => PatternMatcher.create(c.patterns).matches(c.path)),
        };
      } catch {
        got = { new: 'error' };
      }
      const { patterns: _p, path: _f, ...want } = c;
      if (JSON.stringify(got) !== JSON.stringify(want))
        mismatches.push(`${JSON.stringify(c)} got ${JSON.stringify(got)}`);
    }
    expect(mismatches).toEqual([]);
  });
});
