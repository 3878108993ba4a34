import type { ContextRule, ContextTreeRow } from '../../../src-main/ipc/contract/context';

/** How a context tree row explains itself: a badge, the deciding rule and its line, a note, a sentence. */
export interface RowStatus {
  tone: 'sent' | 'excluded' | 'reincluded' | 'forced' | 'removed';
  badge?: string;
  rule?: string;
  where?: string;
  note?: string;
  /** The whole explanation in one sentence (hover). */
  title: string;
}

function lineOf(rule: ContextRule, ignoreName: string): string {
  return rule.line !== undefined ? `${ignoreName} line ${rule.line}` : 'added by the build';
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** Why a row is sent or excluded, in the words the tree shows. Pure, so it is tested without a page. */
export function rowStatus(row: ContextTreeRow, ignoreName: string): RowStatus {
  if (!row.onDisk)
    return {
      tone: 'removed',
      badge: 'removed',
      note: 'sent by the last build, gone now',
      title: `${row.path} was sent by the last build and is no longer in the folder.`,
    };
  const rule = row.rule;
  if (row.sent) {
    if (!rule) return { tone: 'sent', title: `${row.path} is sent.` };
    if (rule.forced)
      return {
        tone: 'forced',
        badge: 'kept',
        rule: rule.pattern,
        where: 'added by the build',
        note: 'the builder reads it from the context',
        title: `${row.path} is excluded by ${ignoreName}, but the build adds ${rule.pattern} so the builder can read it.`,
      };
    return {
      tone: 'reincluded',
      badge: 're-included',
      rule: rule.pattern,
      where: lineOf(rule, ignoreName),
      title: `${row.path} is sent: ${rule.pattern} (${lineOf(rule, ignoreName)}) re-includes it.`,
    };
  }
  if (!rule) return { tone: 'excluded', badge: 'not sent', title: `${row.path} is not sent.` };
  const where = lineOf(rule, ignoreName);
  if (row.skippedBy !== undefined && row.skippedBy !== row.path) {
    const unreached = row.unreached
      ? `; ${row.unreached.pattern} (line ${row.unreached.line ?? '?'}) cannot reach it there`
      : '';
    return {
      tone: 'excluded',
      badge: 'excluded',
      rule: rule.pattern,
      where,
      note: row.unreached ? `folder not entered: ${row.unreached.pattern} cannot reach it` : 'folder not entered',
      title: `${row.path} is not sent: ${rule.pattern} (${where}) excludes ${row.skippedBy}/ and Docker does not look inside it${unreached}.`,
    };
  }
  const inside =
    row.kind === 'dir' && row.sentFiles > 0 ? `${plural(row.sentFiles, 'file')} inside re-included` : undefined;
  return {
    tone: 'excluded',
    badge: 'excluded',
    rule: rule.pattern,
    where,
    ...(inside ? { note: inside } : {}),
    title: `${row.path} is excluded by ${rule.pattern} (${where})${inside ? `; ${inside}` : ''}.`,
  };
}
