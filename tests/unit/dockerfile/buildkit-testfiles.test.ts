import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpInstruction } from '$shared/dockerfile/dockerfile-instruction';
import { DockerfileParseError, parseDockerfile } from '$shared/dockerfile/dockerfile-parser';

const root = path.resolve(process.cwd(), 'tests/fixtures/conformance/buildkit-dockerfiles');
const valid = readdirSync(path.join(root, 'testfiles')).sort();
const negative = readdirSync(path.join(root, 'testfiles-negative')).sort();

describe('BuildKit parser testfiles', () => {
  it('has the 20 valid and 4 negative files', () => {
    expect(valid).toHaveLength(20);
    expect(negative).toHaveLength(4);
  });

  // BuildKit's own test: Parse(Dockerfile).AST.Dump() + "\n" equals `result` byte for byte.
  it.each(valid)('%s parses to exactly its result file', (dir) => {
    const dockerfile = readFileSync(path.join(root, 'testfiles', dir, 'Dockerfile'));
    const expected = readFileSync(path.join(root, 'testfiles', dir, 'result'), 'utf8');
    const parsed = parseDockerfile(dockerfile);
    const dump = parsed.instructions.map((i) => `(${dumpInstruction(i)})`).join('\n') + '\n';
    expect(dump).toBe(expected);
    expect(parsed.instructions).toHaveLength(expected.trimEnd().split('\n').length);
  });

  it.each(negative)('%s is rejected', (dir) => {
    const dockerfile = readFileSync(path.join(root, 'testfiles-negative', dir, 'Dockerfile'));
    expect(() => parseDockerfile(dockerfile)).toThrow(DockerfileParseError);
  });
});
