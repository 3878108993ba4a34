import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Where the shared conformance data lives: ../shared/conformance beside the repository. */
export const conformanceDir = path.resolve(process.cwd(), 'tests/fixtures/conformance');

export interface MatchCase {
  kind: 'match';
  patterns: string[];
  path: string;
  excluded: boolean;
  api: string;
  dockerignore?: string;
  error?: boolean;
  error_value?: string;
  source: string;
  same_result_with?: Record<string, boolean>;
  balena_dockerignore_1_0_2: { agrees: boolean };
}
export interface ParseCase {
  kind: 'parse';
  input: string | null;
  expected_patterns: string[];
  description?: string;
  source: string;
}
export interface NewCase {
  kind: 'new';
  patterns: string[];
  expected_pattern_count?: number;
  expected_exclusions?: boolean;
  error?: boolean;
  source: string;
}
export interface CompileCase {
  kind: 'compile';
  pattern: string;
  match_type: 'exactMatch' | 'prefixMatch' | 'suffixMatch' | 'regexpMatch';
  regexp_slash: string;
  source: string;
}
export type DockerignoreCase = MatchCase | ParseCase | NewCase | CompileCase;

/** All cases of dockerignore/cases.json. */
export function loadDockerignoreCases(): DockerignoreCase[] {
  return JSON.parse(readFileSync(path.join(conformanceDir, 'dockerignore/cases.json'), 'utf8')) as DockerignoreCase[];
}
