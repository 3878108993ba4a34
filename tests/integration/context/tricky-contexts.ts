import type { TreeNode } from '../../unit/context/temp-tree';

/** A build context exercising one corner of the `.dockerignore` rules. */
export interface TrickyContext {
  name: string;
  files: Record<string, TreeNode>;
  /** Relative to the context; default Dockerfile. */
  dockerfile?: string;
  /** True when docker/cli itself leaves the Dockerfile out (its deprecated Matches check), so no build works. */
  dockerfileNotSent?: boolean;
}

const FROM = 'FROM strata-test/busybox:latest\nCOPY . /ctx/\n';

/** Contexts with exceptions, `**`, an excluded Dockerfile, links and long names. */
export const trickyContexts: TrickyContext[] = [
  {
    name: 'exceptions and re-exclusion',
    files: {
      Dockerfile: FROM,
      '.dockerignore': 'docs\n!docs/README.md\n*.md\n!README*.md\nREADME-secret.md\n',
      'docs/README.md': 'docs readme',
      'docs/other.md': 'other',
      'README.md': 'readme',
      'README-secret.md': 'secret',
      'notes.md': 'notes',
      'src/app.js': 'app',
    },
  },
  {
    name: 'double-star patterns',
    files: {
      Dockerfile: FROM,
      '.dockerignore': '**/*.log\n**/tmp\n!**/tmp/keep.log\nbuild/**\n',
      'a.log': 'a',
      'x/y/b.log': 'b',
      'tmp/t': 't',
      'x/tmp/u': 'u',
      'x/tmp/keep.log': 'keep',
      'build/out/o.bin': 'o',
      'x/y/z.txt': 'z',
    },
  },
  {
    name: 'Dockerfile and .dockerignore excluded',
    files: {
      Dockerfile: FROM,
      '.dockerignore': 'Dockerfile\n.dockerignore\n*.txt\n!keep.txt\n',
      'keep.txt': 'keep',
      'drop.txt': 'drop',
      app: 'app',
    },
  },
  {
    name: 'exception deep in an excluded folder, and one that cannot rescue',
    files: {
      Dockerfile: FROM,
      '.dockerignore': 'vendor\n!vendor/lib/keep.go\ncache\n!**/keep\n',
      'vendor/lib/keep.go': 'package lib',
      'vendor/lib/x.go': 'x',
      'vendor/top.go': 'top',
      'cache/keep': 'not rescued',
      keep: 'kept',
    },
  },
  {
    name: 'everything but src, Dockerfile in an excluded folder',
    dockerfile: 'docker/Dockerfile',
    files: {
      'docker/Dockerfile': FROM,
      'docker/compose.yml': 'services: {}',
      '.dockerignore': '*\n!src\n',
      'src/main.ts': 'main',
      'src/deep/x.ts': 'x',
      'package.json': '{}',
    },
  },
  {
    name: 'links, long and unicode names',
    files: {
      Dockerfile: FROM,
      '.dockerignore': 'ignored\n',
      'real/file.txt': 'real',
      'real/link-to-file': { symlink: 'file.txt' },
      'link-to-dir': { symlink: 'real' },
      'dangling-link': { symlink: 'does/not/exist' },
      'hard-a': 'hard linked',
      'hard-b': { hardlink: 'hard-a' },
      [`${'p'.repeat(90)}/${'q'.repeat(90)}/deep.txt`]: 'deep',
      [`seg-${'s'.repeat(110)}`]: 'long segment',
      'héllo wörld ☃.txt': 'unicode',
      'long-link': { symlink: 't'.repeat(120) },
      ignored: 'x',
    },
  },
  {
    name: '`**/build` hides build/Dockerfile from docker/cli',
    dockerfile: 'build/Dockerfile',
    dockerfileNotSent: true,
    files: { 'build/Dockerfile': FROM, '.dockerignore': '**/build\n', src: 's' },
  },
];
