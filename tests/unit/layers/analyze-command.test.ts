import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnalyzeCommand } from '../../../src-main/cli/analyze-command';
import { diveArchivePath, readDiveExpected } from './archive-helpers';

const expected = readDiveExpected();

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

async function run(argv: string[], deps = {}) {
  const stdout = capture();
  const stderr = capture();
  const code = await runAnalyzeCommand(argv, { stdout: stdout.stream, stderr: stderr.stream }, deps);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

// "--flag=value": parseArgs (like most CLIs) reads "--flag -0.1" as a missing value.
const flags = (testCase: {
  lowestEfficiency?: string;
  highestWastedBytes?: string;
  highestUserWastedPercent?: string;
}) => [
  ...(testCase.lowestEfficiency !== undefined ? [`--lowest-efficiency=${testCase.lowestEfficiency}`] : []),
  ...(testCase.highestWastedBytes !== undefined ? [`--highest-wasted-bytes=${testCase.highestWastedBytes}`] : []),
  ...(testCase.highestUserWastedPercent !== undefined
    ? [`--highest-user-wasted-percent=${testCase.highestUserWastedPercent}`]
    : []),
];

describe('strata analyze', () => {
  it('prints the analysis of an archive file as JSON', async () => {
    const { code, stdout } = await run([diveArchivePath, '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      efficiency: expected.efficiency,
      sizeBytes: expected.sizeBytes,
      userSizeBytes: expected.userSizeBytes,
      wastedBytes: expected.wastedBytes,
      wastedUserPercent: expected.wastedUserPercent,
      inefficientFiles: expected.inefficientFiles,
    });
    const layers = json.layers as {
      index: number;
      id: string;
      command: string;
      sizeBytes: number;
      fileCount: number;
    }[];
    expect(layers.map((layer) => layer.sizeBytes)).toEqual(expected.layers.map((layer) => layer.sizeBytes));
    expect(layers.reduce((sum, layer) => sum + layer.fileCount, 0)).toBe(expected.fileCount);
    expect(Object.keys(layers[0] ?? {})).toEqual(['index', 'id', 'command', 'sizeBytes', 'fileCount']);
    expect(layers[9]).toMatchObject({
      index: 9,
      command: 'rm -rf /root/example/',
      id: expect.stringMatching(/^sha256:/),
    });
  });

  it('prints a readable report by default', async () => {
    const { code, stdout } = await run([diveArchivePath]);
    expect(code).toBe(0);
    expect(stdout).toContain('efficiency:         98.44 %');
    expect(stdout).toContain('wastedBytes:        32025 bytes (32kB)');
    expect(stdout).toContain('userWastedPercent:  48.35 %');
    expect(stdout).toMatch(/Reclaimable \(Strata's figure, not dive's/);
    expect(stdout).toMatch(/2 +12\.8kB +\/root\/saved\.txt/);
  });

  for (const [i, testCase] of expected.ciRules.cases.entries()) {
    it(`--ci case ${i + 1} exits ${testCase.pass ? 0 : 1}`, async () => {
      const { code, stdout } = await run([diveArchivePath, '--ci', ...flags(testCase)]);
      expect(code).toBe(testCase.pass ? 0 : 1);
      expect(stdout).toContain(testCase.pass ? 'PASS [' : 'FAIL [');
    });
  }

  for (const invalid of expected.ciRules.invalid) {
    it(`--ci exits 2 on ${JSON.stringify(invalid)}`, async () => {
      const { code, stderr, stdout } = await run([diveArchivePath, '--ci', ...flags(invalid)]);
      expect(code).toBe(2);
      expect(stderr).toContain(`MISCONFIGURED ${Object.keys(invalid)[0]}`);
      expect(stdout).toBe('');
    });
  }

  it('reports the CI evaluation in JSON too', async () => {
    const { code, stdout } = await run([diveArchivePath, '--json', '--ci', '--highest-wasted-bytes', '1B']);
    expect(code).toBe(1);
    const json = JSON.parse(stdout) as { ci: { pass: boolean; rules: { name: string; status: string }[] } };
    expect(json.ci.pass).toBe(false);
    expect(json.ci.rules.map((rule) => `${rule.name}:${rule.status}`)).toEqual([
      'lowestEfficiency:pass',
      'highestWastedBytes:fail',
      'highestUserWastedPercent:fail',
    ]);
  });

  it('exits 2 on bad usage', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run([diveArchivePath, 'extra'])).code).toBe(2);
    expect((await run([diveArchivePath, '--no-such-flag'])).code).toBe(2);
    expect((await run(['--help'])).code).toBe(0);
  });

  it('reads a name that is not a file from the engine', async () => {
    const asked: string[] = [];
    const { code, stdout } = await run(['dive-test:latest', '--json'], {
      openEngineImage: async (ref: string) => {
        asked.push(ref);
        return createReadStream(diveArchivePath);
      },
    });
    expect(asked).toEqual(['dive-test:latest']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ wastedBytes: expected.wastedBytes, repoTags: ['dive-test:latest'] });
  });

  describe('with a file that is not an image', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'strata-analyze-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('exits 1 and says why', async () => {
      const file = path.join(dir, 'not-an-image.tar');
      await writeFile(file, 'hello');
      const { code, stderr } = await run([file]);
      expect(code).toBe(1);
      expect(stderr).toContain('truncated');
    });
  });
});
