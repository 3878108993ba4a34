import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runContextCommand } from '../../../src-main/cli/context-command';
import { removeTrees, tempTree } from './temp-tree';

afterEach(removeTrees);

/** The engine `strata context` finds when it asks: a Docker Engine unless a test says otherwise (never a real one). */
type Identify = NonNullable<Parameters<typeof runContextCommand>[2]>['identify'];
const dockerEngine: Identify = async () => ({
  engine: { product: 'Docker Engine', apiVersion: '1.43', address: 'unix:///test/docker.sock', source: 'DOCKER_HOST' },
  looked: [],
});

async function run(
  argv: string[],
  identify: Identify = dockerEngine,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runContextCommand(
    argv,
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    },
    { identify },
  );
  return { code, stdout, stderr };
}

describe('strata context', () => {
  it('prints every tar entry, the tar size and the excluded count as JSON', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '*.log\n',
      'a.log': 'x',
      'src/main.ts': 'main',
      'src/link': { symlink: 'main.ts' },
    });
    const { code, stdout, stderr } = await run([dir, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as {
      files: unknown[];
      totalBytes: number;
      excluded: number;
      engine: unknown;
      transfer: string;
    };
    expect(Object.keys(out)).toEqual(['builder', 'files', 'totalBytes', 'excluded', 'engine', 'transfer']);
    // The engine it planned for and how it knows (the engine answered), and how the context goes.
    expect(out.engine).toEqual({
      kind: 'docker',
      product: 'Docker Engine',
      determinedBy: 'asked-engine',
      address: 'unix:///test/docker.sock',
      source: 'DOCKER_HOST',
    });
    expect(out.transfer).toBe('session');
    expect(out.files).toEqual([
      { path: '.dockerignore', type: 'file', size: 6 },
      { path: 'Dockerfile', type: 'file', size: 13 },
      { path: 'src', type: 'dir', size: 0 },
      { path: 'src/link', type: 'symlink', size: 0 },
      { path: 'src/main.ts', type: 'file', size: 4 },
    ]);
    // Five 512-byte headers, three content blocks, two end blocks.
    expect(out.totalBytes).toBe(5 * 512 + 3 * 512 + 1024);
    expect(out.excluded).toBe(1);
  });

  it("decides the builder and ignore file by the build's own rule (auto by default)", async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': 'Dockerfile\n.dockerignore\n',
      app: 'a',
    });
    type Out = { builder: string; files: { path: string }[] };
    const json = async (...args: string[]) => JSON.parse((await run([dir, '--json', ...args])).stdout) as Out;
    // BuildKit takes the context through a session: the Dockerfile travels on its own, the rules hold for it.
    const auto = await json();
    expect(auto.builder).toBe('buildkit');
    expect(auto.files.map((f) => f.path)).toEqual(['app']);
    const text = (await run([dir])).stdout;
    expect(text).toContain('Note           BuildKit takes the context through a session');
    expect(text).toContain('Dockerfile     Dockerfile (excluded from the context, sent on its own)');
    expect((await json('--builder', 'buildkit')).files.map((f) => f.path)).toEqual(['app']);
    // Its tar (the one uploaded when the engine refuses a session) must carry both; auto then takes the
    // classic builder, whose daemon removes them, as the build does.
    const tar = await run([dir, '--tar', '--builder', 'buildkit']);
    expect(tar.code).toBe(0);
    expect(tar.stderr).toBe(
      'strata context: a BuildKit build sends no tar when the engine takes a session (the files go one by one); this is the tar uploaded when the engine refuses one, carrying Dockerfile and .dockerignore for BuildKit to read.\n',
    );
    const autoTar = await run([dir, '--tar']);
    expect(autoTar.stderr).toBe('');
    expect(autoTar.stdout).toContain('Dockerfile');
    expect((await json('--builder', 'classic')).builder).toBe('classic');
  });

  it('with the rules in Dockerfile.dockerignore: auto keeps BuildKit and them, classic reads only .dockerignore', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      'Dockerfile.dockerignore': 'Dockerfile\nsecret.txt\n',
      '.dockerignore': '',
      'secret.txt': 's',
    });
    type Out = { builder: string; files: { path: string }[] };
    const json = async (...args: string[]) => JSON.parse((await run([dir, '--json', ...args])).stdout) as Out;
    const auto = await json();
    expect(auto.builder).toBe('buildkit');
    expect(auto.files.map((f) => f.path)).toEqual(['.dockerignore', 'Dockerfile.dockerignore']);
    const classic = await json('--builder', 'classic');
    expect(classic.files.map((f) => f.path)).toContain('secret.txt');
    expect((await run([dir, '--builder', 'classic'])).stdout).toContain(
      'the classic builder does not read Dockerfile.dockerignore',
    );
  });

  it('takes --dockerfile from the current directory like docker build -f, else from the context', async () => {
    const dir = await tempTree({
      'docker/Dockerfile.dev': 'FROM scratch\n',
      'docker/Dockerfile.dev.dockerignore': 'secret\n',
      secret: 's',
      app: 'a',
    });
    const fromContext = JSON.parse((await run([dir, '--dockerfile', 'docker/Dockerfile.dev', '--json'])).stdout) as {
      files: { path: string }[];
    };
    expect(fromContext.files.map((f) => f.path)).toEqual([
      'app',
      'docker',
      'docker/Dockerfile.dev',
      'docker/Dockerfile.dev.dockerignore',
    ]);
    const absolute = await run([dir, '-f', path.join(dir, 'docker/Dockerfile.dev'), '--json']);
    expect(absolute.stdout).toBe((await run([dir, '--dockerfile', 'docker/Dockerfile.dev', '--json'])).stdout);
  });

  it('prints a summary with the excluding rules, largest entries and warnings', async () => {
    const dir = await tempTree({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '# logs\n*.log\n',
      'a.log': 'x',
      'b.log': 'y',
      'node_modules/dep/index.js': 'module.exports = 1;\n',
      'src/big.txt': 'z'.repeat(4608),
    });
    const { code, stdout } = await run([dir, '--builder', 'classic']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Build context  ${dir}  (classic builder)`);
    expect(stdout).toContain('Dockerfile     Dockerfile (sent)');
    expect(stdout).toMatch(/Excluded {7}2 paths\n {2}2 +\*\.log {2}\(line 2\)/);
    expect(stdout).toContain('4.608kB   src/big.txt');
    expect(stdout).toContain('node_modules is sent with the build context. Add "node_modules" to .dockerignore.');
  });

  it('exits 1 with a clear message for a missing directory', async () => {
    const { code, stdout, stderr } = await run(['/nonexistent/strata-dir', '--json']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('strata context: unable to prepare context: path "/nonexistent/strata-dir" not found\n');
  });

  it('exits 1 naming the line of a bad .dockerignore', async () => {
    const dir = await tempTree({ Dockerfile: 'FROM scratch\n', '.dockerignore': 'ok\n[oops\n' });
    const { code, stderr } = await run([dir]);
    expect(code).toBe(1);
    expect(stderr).toBe('strata context: .dockerignore: line 2: syntax error in pattern: "[oops"\n');
  });

  it('exits 2 on bad usage, as strata analyze does, and 0 for --help', async () => {
    expect((await run([])).code).toBe(2);
    const two = await run(['a', 'b']);
    expect(two.stderr).toContain('expected exactly one <dir>');
    expect(two.code).toBe(2);
    expect((await run(['.', '--nope'])).code).toBe(2);
    const builder = await run(['.', '--builder', 'kaniko']);
    expect(builder.stderr).toContain('--builder must be auto, classic or buildkit');
    expect(builder.code).toBe(2);
    expect((await run(['.', '--top', 'many'])).code).toBe(2);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: strata context <dir>');
  });
});
