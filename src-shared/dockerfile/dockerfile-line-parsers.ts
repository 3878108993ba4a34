import { isGoSpace, trimLeftGoSpace } from '../go/text';
import { goSplit, parseWords } from './dockerfile-words';

/** What a line parser makes of an instruction's arguments. */
export interface ParsedArgs {
  args: string[];
  json: boolean;
  /** ONBUILD: the wrapped instruction's text, parsed by the caller. */
  subLine?: string;
}

/** A parse error BuildKit reports for the instruction's line. */
export class DockerfileSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerfileSyntaxError';
  }
}

const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

/** parseJSON: a JSON array of strings, or null when the text is not a JSON array at all. */
function parseJson(rest: string): string[] | null {
  const text = trimLeftGoSpace(rest);
  if (!text.startsWith('[')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  if (value.some((v) => typeof v !== 'string')) throw new DockerfileSyntaxError(NOT_STRING_ARRAY);
  return value as string[];
}

function whitespaceDelimited(rest: string): ParsedArgs {
  return { args: rest === '' ? [] : goSplit(rest, -1), json: false };
}

function maybeJson(rest: string): ParsedArgs {
  if (rest === '') return { args: [], json: false };
  const json = parseJson(rest);
  return json ? { args: json, json: true } : { args: [rest], json: false };
}

function maybeJsonToList(rest: string): ParsedArgs {
  const json = parseJson(rest);
  return json ? { args: json, json: true } : whitespaceDelimited(rest);
}

/** ENV and LABEL: `KEY value` (old form) or `k=v k2=v2`; each pair becomes key, value, separator. */
function nameVal(rest: string, keyword: string, escapeToken: string): ParsedArgs {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return { args: [], json: false };
  if (!(words[0] as string).includes('=')) {
    const parts = goSplit(rest, 2);
    if (parts.length < 2) throw new DockerfileSyntaxError(`${keyword} must have two arguments`);
    return { args: [parts[0] as string, parts[1] as string, ''], json: false };
  }
  const args: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0)
      throw new DockerfileSyntaxError(
        `Syntax error - can't find = in ${JSON.stringify(word)}. Must be of the form: name=value`,
      );
    args.push(word.slice(0, eq), word.slice(eq + 1), '=');
  }
  return { args, json: false };
}

function healthConfig(rest: string): ParsedArgs {
  let sep = 0;
  while (sep < rest.length && !isGoSpace(rest.charCodeAt(sep))) sep++;
  let next = sep;
  while (next < rest.length && isGoSpace(rest.charCodeAt(next))) next++;
  if (sep === 0) return { args: [], json: false };
  const cmd = maybeJson(rest.slice(next));
  return { args: [rest.slice(0, sep), ...cmd.args], json: cmd.json };
}

/** BuildKit's dispatch table: how each instruction's arguments are split. Unknown keywords keep one empty value. */
export function parseInstructionArgs(name: string, rest: string, escapeToken: string): ParsedArgs {
  switch (name) {
    case 'add':
    case 'copy':
    case 'volume':
      return maybeJsonToList(rest);
    case 'arg': {
      const words = parseWords(rest, escapeToken);
      return { args: words, json: false };
    }
    case 'cmd':
    case 'entrypoint':
    case 'run':
    case 'shell':
      return maybeJson(rest);
    case 'env':
      return nameVal(rest, 'ENV', escapeToken);
    case 'label':
      return nameVal(rest, 'LABEL', escapeToken);
    case 'expose':
    case 'from':
      return whitespaceDelimited(rest);
    case 'healthcheck':
      return healthConfig(rest);
    case 'maintainer':
    case 'stopsignal':
    case 'user':
    case 'workdir':
      return { args: rest === '' ? [] : [rest], json: false };
    case 'onbuild':
      return rest === '' ? { args: [], json: false } : { args: [], json: false, subLine: rest };
    default:
      return { args: [''], json: false };
  }
}
