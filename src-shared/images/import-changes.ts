/** Checks for `docker import --change` lines. Pure: safe to import from the renderer. */

/** Instructions `docker import --change` accepts (the engine's validCommitCommands). */
export const IMPORT_CHANGE_KEYWORDS = [
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'ONBUILD',
  'USER',
  'VOLUME',
  'WORKDIR',
] as const;

/** Check Dockerfile-style change lines before the engine sees them; returns the reasons, one per bad line. */
export function validateImportChanges(changes: readonly string[]): string[] {
  const problems: string[] = [];
  changes.forEach((change, i) => {
    const line = change.trim();
    const keyword = (/^\S+/.exec(line)?.[0] ?? '').toUpperCase();
    if (/[\r\n]/.test(line)) problems.push(`change ${i + 1} must be on one line`);
    else if (!(IMPORT_CHANGE_KEYWORDS as readonly string[]).includes(keyword)) {
      problems.push(
        `change ${i + 1} ("${line}"): ${keyword || 'an empty line'} is not allowed; use ${IMPORT_CHANGE_KEYWORDS.join(', ')}`,
      );
    } else if (line.length === keyword.length) problems.push(`change ${i + 1} (${keyword}) needs a value`);
  });
  return problems;
}
