import { createRequire } from 'node:module';
import { CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { EditorState, Text } from '@codemirror/state';
import { Util } from 'dockerfile-ast/lib/util';
import { DockerfileLanguageServiceFactory } from 'dockerfile-language-service';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fromImageCompletions,
  languageServiceCompletions,
  stageNamesBefore,
} from '../../../src-renderer/components/editor/dockerfile-completion';
import {
  dockerfileDiagnostics,
  problemsOf,
  toCmDiagnostics,
} from '../../../src-renderer/components/editor/dockerfile-diagnostics';
import { formatChanges } from '../../../src-renderer/components/editor/dockerfile-format';
import { dockerfileHoverAt } from '../../../src-renderer/components/editor/dockerfile-hover';
import { localRegistry } from '../../../src-renderer/components/editor/local-registry';

const LOCAL = ['strata-test/busybox:latest', 'strata-test/busybox:1.36', 'alpine:3.20', 'localhost:5000/team/app:v2'];

function stateOf(text: string): EditorState {
  return EditorState.create({ doc: text });
}

async function complete(
  source: (c: CompletionContext) => unknown,
  text: string,
  explicit = true,
): Promise<CompletionResult | null> {
  const state = stateOf(text);
  return (await source(new CompletionContext(state, text.length, explicit))) as CompletionResult | null;
}

// The editor must never reach a registry: any attempt to open a connection fails the test.
const nodeRequire = createRequire(import.meta.url);
const netModules = ['https', 'http', 'net', 'tls'].map((name) => nodeRequire(name) as Record<string, unknown>);
const saved: Array<[Record<string, unknown>, string, unknown]> = [];
const attempts: string[] = [];
beforeEach(() => {
  for (const mod of netModules) {
    for (const fn of ['request', 'get', 'connect', 'createConnection']) {
      if (typeof mod[fn] !== 'function') continue;
      saved.push([mod, fn, mod[fn]]);
      mod[fn] = (...args: unknown[]) => {
        attempts.push(`${fn} ${JSON.stringify(args[0])}`);
        throw new Error('network call from the editor');
      };
    }
  }
});
afterEach(() => {
  for (const [mod, fn, original] of saved.splice(0)) mod[fn] = original;
  expect(attempts.splice(0)).toEqual([]);
});

describe('diagnostics', () => {
  it('turns a bad instruction into an error over its line, in the builders’ words', () => {
    const doc = Text.of(['FROM busybox', '  FOO bar', 'EXPOSE abc']);
    const diagnostics = dockerfileDiagnostics(doc);
    expect(diagnostics.map((d) => [doc.sliceString(d.from, d.to), d.severity, d.message])).toEqual([
      ['FOO bar', 'error', 'unknown instruction: FOO'],
      ['EXPOSE abc', 'error', 'invalid containerPort: abc'],
    ]);
    expect(problemsOf(doc, diagnostics)).toEqual([
      { line: 2, severity: 'error', message: 'unknown instruction: FOO' },
      { line: 3, severity: 'error', message: 'invalid containerPort: abc' },
    ]);
    expect(dockerfileDiagnostics(Text.of(['FROM busybox', 'RUN echo ok']))).toEqual([]);
    expect(dockerfileDiagnostics(Text.of(['']))).toEqual([]);
    expect(dockerfileDiagnostics(Text.of(['# only a comment'])).map((d) => d.message)).toEqual([
      'file with no instructions',
    ]);
  });

  it('covers every line of a multi-line instruction and clamps lines past the end', () => {
    const doc = Text.of(['FROM x', 'COPY \\', '  a']);
    const mapped = toCmDiagnostics(doc, [
      { line: 2, endLine: 3, severity: 'error', message: 'e' },
      { line: 9, endLine: 12, severity: 'warning', message: 'w' },
    ]);
    expect(mapped.map((d) => [doc.sliceString(d.from, d.to), d.severity])).toEqual([
      ['COPY \\\n  a', 'error'],
      ['a', 'warning'],
    ]);
  });

  it('handles a byte order mark without Node’s Buffer (the renderer has none)', () => {
    expect(Util.isUTF8BOM('\uFEFF')).toBe(true);
    expect(Util.isUTF8BOM('F')).toBe(false);
    expect(dockerfileDiagnostics(Text.of(['\uFEFFFROM busybox']))).toEqual([]);
  });
});

describe('completion', () => {
  const registry = localRegistry(() => LOCAL);

  it('completes instructions from the language service', async () => {
    const result = await complete(languageServiceCompletions(registry), 'FROM busybox\nRU');
    expect(result?.from).toBe('FROM busybox\n'.length);
    expect(result?.options.map((o) => o.label)).toContain('RUN');
    // Typing a space is not a request.
    expect(await complete(languageServiceCompletions(registry), 'FROM busybox\nRUN ', false)).toBeNull();
  });

  it('would reach Docker Hub with the stock service: the guard above sees it (control)', async () => {
    const stock = DockerfileLanguageServiceFactory.createLanguageService();
    await Promise.resolve(stock.computeCompletionItems('FROM busybox:l', { line: 0, character: 14 }));
    expect(attempts.splice(0).map((a) => JSON.parse(a.slice(a.indexOf(' ') + 1)).hostname)).toEqual(['auth.docker.io']);
  });

  it('completes FROM tags from the local images only', async () => {
    const result = await complete(languageServiceCompletions(registry), 'FROM strata-test/busybox:');
    expect(result?.options.map((o) => o.label)).toEqual(['1.36', 'latest']);
    const prefixed = await complete(languageServiceCompletions(registry), 'FROM strata-test/busybox:la');
    expect(prefixed?.options.map((o) => o.label)).toEqual(['latest']);
    expect(prefixed?.from).toBe('FROM strata-test/busybox:'.length);
    const unknown = await complete(languageServiceCompletions(registry), 'FROM ubuntu:');
    expect(unknown).toBeNull();
  });

  it('completes FROM image names from local images, earlier stages and scratch', async () => {
    const text = 'FROM alpine:3.20 AS build\nRUN true\nFROM --platform=linux/amd64 stra';
    const result = await complete(
      fromImageCompletions(() => LOCAL),
      text,
      false,
    );
    expect(result?.from).toBe(text.length - 'stra'.length);
    expect(result?.options.map((o) => o.label)).toEqual(['build', ...[...LOCAL].sort(), 'scratch']);
    expect(
      await complete(
        fromImageCompletions(() => LOCAL),
        'RUN stra',
      ),
    ).toBeNull();
    expect(
      await complete(
        fromImageCompletions(() => LOCAL),
        'FROM strata-test/busybox:',
      ),
    ).toBeNull();
    expect(stageNamesBefore('FROM a AS one\nfrom b as Two\nFROM c\n')).toEqual(['one', 'Two']);
  });

  it('gives documentation for completions lazily', async () => {
    const result = await complete(languageServiceCompletions(registry), 'FROM busybox\nWORKD');
    const workdir = result?.options.find((o) => o.label === 'WORKDIR');
    expect(typeof workdir?.info).toBe('function');
  });
});

describe('hover and format', () => {
  it('explains the instruction under the pointer', () => {
    const doc = Text.of(['FROM busybox', 'RUN echo hi']);
    const hover = dockerfileHoverAt(doc, doc.line(2).from + 1);
    expect(hover?.text).toContain('Execute any commands');
    expect(doc.sliceString(hover?.from ?? 0, hover?.to ?? 0)).toBe('RUN');
    expect(dockerfileHoverAt(doc, doc.line(2).to)).toBeNull();
  });

  it('formats as one change set against the text it was given', () => {
    const state = stateOf('FROM busybox\n   RUN echo hi\n\tCMD ["sh"]\n');
    const formatted = state.update({ changes: formatChanges(state.doc) }).state.doc.toString();
    expect(formatted).toBe('FROM busybox\nRUN echo hi\nCMD ["sh"]\n');
    expect(formatChanges(Text.of(['FROM busybox']))).toEqual([]);
  });
});
