import { parseReference, type ReferenceDialect } from '../images/reference';

/**
 * Checks `-t` names as `docker build` does (a repository with an optional tag; no digest), returning
 * one message per refused name. Pure: the build form uses it as the person types.
 */
export function buildTagProblems(tags: readonly string[], dialect: ReferenceDialect = 'current'): string[] {
  const problems: string[] = [];
  for (const tag of tags) {
    if (tag.includes('@')) {
      problems.push(`"${tag}": a build tag cannot contain a digest`);
      continue;
    }
    const check = parseReference(tag, { dialect });
    if (!check.ok) problems.push(`"${tag}": ${check.reason}`);
  }
  return problems;
}
