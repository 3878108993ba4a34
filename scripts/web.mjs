// `npm run web`: build if a source changed, then start the browser preview (prints one `Ready:` line).
import { spawn } from 'node:child_process';
import { buildAll, buildIsCurrent } from './build.mjs';

if (!buildIsCurrent()) {
  console.error('Building Strata (first run or sources changed)…');
  await buildAll({ quiet: true });
}
const child = spawn(process.execPath, ['dist/web/serve.mjs'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
