/**
 * Child process of bench/rebuild-bench.ts: one BuildKit build of a context through the session, as the app
 * runs it, then what went over the wire as JSON in <out>.
 *   npx tsx bench/rebuild-bench-child.ts <contextDir> <dockerfile> <tag> <out.json>
 */
import Docker from 'dockerode';
import { writeFile } from 'node:fs/promises';
import { runBuild } from '../src-main/core/build/run-build';
import { openContextSession } from '../src-main/core/build/session/context-session';
import { resolveBuildFiles } from '../src-main/core/context/context-build-files';

const [contextDir, dockerfile, tag, out] = process.argv.slice(2);
if (!contextDir || !dockerfile || !tag || !out)
  throw new Error('usage: rebuild-bench-child.ts <contextDir> <dockerfile> <tag> <out.json>');
const docker = new Docker();
const files = await resolveBuildFiles({ contextDir, dockerfile, builder: 'buildkit' });
const session = await openContextSession(docker, files);
const outcome = await runBuild({ docker, context: session, builder: 'buildkit', networkMode: 'none', tags: [tag] });
if (outcome.status !== 'succeeded') throw new Error(`build ${outcome.status}: ${outcome.error?.message ?? ''}`);
const { dataBytes, wireBytes, requestedFiles, stats } = session.counter;
await writeFile(out, JSON.stringify({ dataBytes, wireBytes, requestedFiles, stats }));
