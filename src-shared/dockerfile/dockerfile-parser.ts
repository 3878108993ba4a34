import { trimLeftGoSpace } from '../go/text';
import { heredocOpeners } from './dockerfile-heredoc';
import type { DockerfileHeredoc, DockerfileInstruction } from './dockerfile-instruction';
import { DockerfileSyntaxError, parseInstructionArgs } from './dockerfile-line-parsers';
import { splitCommand } from './dockerfile-words';

/** A Dockerfile BuildKit's parser rejects, with the lines it points at. */
export class DockerfileParseError extends Error {
  constructor(
    readonly reason: string,
    /** 1-based first line of the problem. */
    readonly line: number,
    readonly endLine: number = line,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'DockerfileParseError';
  }
}

/** A parser directive from the top of the file (`# syntax=…`, `# escape=…`, `# check=…`). */
export interface DockerfileDirective {
  name: 'syntax' | 'escape' | 'check';
  value: string;
  line: number;
}

/** The parsed file: instructions in order, directives, the escape token, and warnings. */
export interface ParsedDockerfile {
  instructions: DockerfileInstruction[];
  directives: DockerfileDirective[];
  escapeToken: '\\' | '`';
  warnings: { line: number; message: string }[];
}

const DIRECTIVE = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*([^\n]+?)[\t\n\f\r ]*$/u;
const VALID_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

function trimNewline(s: string): string {
  return s.replace(/[\r\n]+$/, '');
}

function isComment(line: string): boolean {
  return trimLeftGoSpace(line).startsWith('#');
}

function continuationRegex(escape: string): RegExp {
  const e = escape === '\\' ? '\\\\' : '`';
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`, 'u');
}

/** Lines with their newline kept (BuildKit's scanLines); the last may lack one. */
function scanLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const i = text.indexOf('\n', start);
    if (i < 0) break;
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/**
 * Parse a Dockerfile as BuildKit's frontend/dockerfile/parser does: parser directives, the escape
 * token, line continuations (comments and empty lines inside them skipped), JSON and shell forms,
 * ONBUILD, here-documents. Throws DockerfileParseError for what BuildKit rejects ("file with no
 * instructions", "ENV must have two arguments", a JSON array holding non-strings, …).
 */
export function parseDockerfile(content: string | Uint8Array): ParsedDockerfile {
  // Bytes (a Buffer is a Uint8Array) decode as Buffer#toString('utf8') does: BOM kept, for the parser to judge.
  const text = typeof content === 'string' ? content : new TextDecoder('utf-8', { ignoreBOM: true }).decode(content);
  const lines = scanLines(text);
  let next = 0;
  const scan = (): string | null => (next < lines.length ? (lines[next++] as string) : null);

  let escapeToken: '\\' | '`' = '\\';
  let continuation = continuationRegex(escapeToken);
  const directives: DockerfileDirective[] = [];
  let directivesDone = false;

  // DirectiveParser.ParseLine: directives only in the leading run of `# key=value` lines.
  const possibleDirective = (token: string, lineNumber: number): void => {
    if (directivesDone) return;
    if (!token.startsWith('#')) {
      directivesDone = true;
      return;
    }
    const m = DIRECTIVE.exec(trimLeftGoSpace(token.slice(1)));
    const key = m ? (m[1] as string).toLowerCase() : '';
    if (!m || !VALID_DIRECTIVES.has(key)) {
      directivesDone = true;
      return;
    }
    if (directives.some((d) => d.name === key))
      throw new DockerfileParseError(`only one ${key} parser directive can be used`, lineNumber);
    const value = m[2] as string;
    if (key === 'escape') {
      if (value !== '`' && value !== '\\')
        throw new DockerfileParseError(`invalid escape token '${value}' does not match \` or \\`, lineNumber);
      escapeToken = value;
      continuation = continuationRegex(value);
    }
    directives.push({ name: key as DockerfileDirective['name'], value, line: lineNumber });
  };

  const processLine = (raw: string, stripLeft: boolean, lineNumber: number): string => {
    let token = trimNewline(raw);
    if (stripLeft) token = trimLeftGoSpace(token);
    possibleDirective(token, lineNumber);
    return isComment(token) ? '' : token;
  };

  const trimContinuation = (line: string): [string, boolean] => {
    if (continuation.test(line)) return [line.replace(continuation, '$1'), false];
    return [line, true];
  };

  const parseLine = (line: string, startLine: number, endLine: number): DockerfileInstruction => {
    const { keyword, flags, rest } = splitCommand(line);
    const name = keyword.toLowerCase();
    let parsed;
    try {
      parsed = parseInstructionArgs(name, rest, escapeToken);
    } catch (err) {
      if (err instanceof DockerfileSyntaxError) throw new DockerfileParseError(err.message, startLine, endLine);
      throw err;
    }
    const instruction: DockerfileInstruction = {
      keyword,
      name,
      flags,
      args: parsed.args,
      json: parsed.json,
      heredocs: [],
      original: line,
      startLine,
      endLine,
    };
    if (parsed.subLine !== undefined) instruction.sub = parseLine(parsed.subLine, startLine, endLine);
    return instruction;
  };

  const instructions: DockerfileInstruction[] = [];
  const warnings: ParsedDockerfile['warnings'] = [];
  let currentLine = 0;
  let raw: string | null;
  while ((raw = scan()) !== null) {
    if (currentLine === 0 && raw.startsWith('\uFEFF')) raw = raw.slice(1);
    const token = processLine(raw, true, currentLine + 1);
    currentLine++;
    const startLine = currentLine;
    let [line, isEnd] = trimContinuation(token);
    if (isEnd && line.length === 0) continue;
    let hasEmptyContinuation = false;
    while (!isEnd) {
      const more = scan();
      if (more === null) break;
      const t = processLine(more, false, currentLine + 1);
      currentLine++;
      if (isComment(more)) continue;
      if (trimLeftGoSpace(trimNewline(t)).length === 0) {
        hasEmptyContinuation = true;
        continue;
      }
      let piece: string;
      [piece, isEnd] = trimContinuation(t);
      line += piece;
    }
    if (hasEmptyContinuation)
      warnings.push({ line: currentLine, message: `Empty continuation line found in: ${line}` });

    const instruction = parseLine(line, startLine, currentLine);
    const target = instruction.name === 'onbuild' && instruction.sub ? instruction.sub : instruction;
    if (['add', 'copy', 'run'].includes(target.name) && !target.json && line.includes('<<')) {
      for (const opener of heredocOpeners(line)) {
        let content = '';
        let terminated = false;
        let body: string | null;
        while ((body = scan()) !== null) {
          currentLine++;
          let candidate = trimNewline(body);
          if (opener.chomp) candidate = candidate.replace(/^\t+/, '');
          if (candidate === opener.name) {
            terminated = true;
            break;
          }
          content += body;
        }
        if (!terminated) throw new DockerfileParseError('unterminated heredoc', startLine, currentLine);
        const heredoc: DockerfileHeredoc = { ...opener, content };
        instruction.heredocs.push(heredoc);
      }
      instruction.endLine = currentLine;
    }
    instructions.push(instruction);
  }
  if (instructions.length === 0) throw new DockerfileParseError('file with no instructions', Math.max(1, currentLine));
  return { instructions, directives, escapeToken, warnings };
}
