import { DockerignoreError, PatternMatcher } from './dockerignore-matcher';
import { goCleanPath, trimGoSpace } from '$shared/go/text';

/** One pattern read from an ignore file, with the 1-based line it came from. */
export interface DockerignoreLine {
  text: string;
  line: number;
}

// bufio.Scanner's default limit: a longer line makes ReadAll fail with "token too long".
const MAX_LINE_BYTES = 64 * 1024;

/**
 * ignorefile.ReadAll (moby/patternmatcher, used by docker/cli and BuildKit) with line numbers: strip a
 * UTF-8 BOM on line 1 only, skip lines whose first byte is `#` (before trimming), trim, drop empty
 * lines, split a leading `!` and trim again, filepath.Clean, drop one leading `/`. A lone `!` is kept
 * here; creating the matcher rejects it.
 */
export function readDockerignoreLines(
  content: string | Buffer | null,
  options: { file?: string } = {},
): DockerignoreLine[] {
  if (content === null) return [];
  const text = typeof content === 'string' ? content : content.toString('utf8');
  const out: DockerignoreLine[] = [];
  const lines = text.split('\n');
  // bufio.ScanLines yields no empty token after a final newline.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((rawLine, index) => {
    const lineNumber = index + 1;
    let line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (Buffer.byteLength(line) >= MAX_LINE_BYTES) {
      throw new DockerignoreError(
        'line too long (bufio.Scanner: token too long)',
        line.slice(0, 40),
        lineNumber,
        options.file,
      );
    }
    if (index === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    if (line.startsWith('#')) return;
    let pattern = trimGoSpace(line);
    if (pattern === '') return;
    const invert = pattern.startsWith('!');
    if (invert) pattern = trimGoSpace(pattern.slice(1));
    if (pattern.length > 0) {
      pattern = goCleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    out.push({ text: invert ? '!' + pattern : pattern, line: lineNumber });
  });
  return out;
}

/** ignorefile.ReadAll: the patterns of an ignore file, exactly as Docker reads them. */
export function readDockerignore(content: string | Buffer | null): string[] {
  return readDockerignoreLines(content).map((l) => l.text);
}

/**
 * Parse an ignore file and build its matcher. Malformed patterns and a lone `!` raise a
 * DockerignoreError naming the line ("line 3: illegal exclusion pattern: \"!\"").
 */
export function compileDockerignore(content: string | Buffer | null, options: { file?: string } = {}): PatternMatcher {
  return PatternMatcher.create(readDockerignoreLines(content, options), options);
}
