import { execFileSync, spawn } from 'node:child_process';
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
      const flag = `--${(Object.keys(invalid)[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `;
      expect(stderr).toContain(flag);
      // In our words, not Go's.
      expect(stderr).not.toMatch(/strconv|ParseFloat|config value/);
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

  it('says what is wrong with a threshold in plain words', async () => {
    const bad = await run([diveArchivePath, '--ci', '--lowest-efficiency=abc']);
    expect(bad.stderr).toContain(
      'strata analyze: --lowest-efficiency: "abc" is not a number: give a ratio from 0 to 1 (such as 0.9), or "disabled"',
    );
    const range = await run([diveArchivePath, '--ci', '--highest-user-wasted-percent=1.5']);
    expect(range.stderr).toContain('--highest-user-wasted-percent: 1.5 is outside 0 to 1');
    const size = await run([diveArchivePath, '--ci', '--highest-wasted-bytes=lots']);
    expect(size.stderr).toContain('--highest-wasted-bytes: "lots" is not a size');
    expect([bad.code, range.code, size.code]).toEqual([2, 2, 2]);
  });

  describe('an argument that names no file', () => {
    const neverAsked = {
      openEngineImage: async (ref: string): Promise<NodeJS.ReadableStream> => {
        throw new Error(`the engine was asked for ${ref}`);
      },
    };

    it.each(['/tmp/strata-no-such-dir/missing.tar', './missing.tar', '../missing.tar', 'missing.tar', 'sub/x.tar.gz'])(
      '%s looks like a path: "no such file", and the engine is not asked',
      async (target) => {
        const { code, stderr, stdout } = await run([target, '--ci'], neverAsked);
        expect(stderr).toBe(`strata analyze: no such file: ${target}\n`);
        expect(code).toBe(1);
        expect(stdout).toBe('');
      },
    );

    it('a malformed image name is refused before the engine is asked, as a usage error', async () => {
      const { code, stderr } = await run(['UPPER:case'], neverAsked);
      expect(code).toBe(2);
      expect(stderr).toContain('"UPPER:case" is not a file, nor an image name the engine would take');
      expect(stderr).toContain('must be lowercase');
      expect(stderr).not.toContain('HTTP code');
    });

    it('an image ID goes to the engine', async () => {
      const asked: string[] = [];
      const id = `sha256:${'ab'.repeat(32)}`;
      await run([id], {
        openEngineImage: async (ref: string): Promise<NodeJS.ReadableStream> => {
          asked.push(ref);
          throw Object.assign(new Error('no such image'), { statusCode: 404 });
        },
      });
      expect(asked).toEqual([id]);
    });
  });

  describe('an argument that is not a regular file', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'strata-analyze-special-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('a folder is called a folder', async () => {
      const { code, stderr } = await run([dir]);
      expect(code).toBe(1);
      expect(stderr).toBe(`strata analyze: "${dir}" is a folder, not an image archive\n`);
    });

    it('a device is called a device', async () => {
      const { code, stderr } = await run(['/dev/null']);
      expect(code).toBe(1);
      expect(stderr).toBe('strata analyze: "/dev/null" is a device, not an image archive file\n');
    });

    it('a pipe is read like a file (strata analyze <(docker save …))', async () => {
      const fifo = path.join(dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
      const writer = spawn('sh', ['-c', `cat "$1" > "$2"`, 'sh', diveArchivePath, fifo]);
      const { code, stdout } = await run([fifo, '--json']);
      writer.kill();
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ wastedBytes: expected.wastedBytes });
    });
  });
});
