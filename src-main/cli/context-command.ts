import path from 'node:path';
import { isatty } from 'node:tty';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { plannedEngineKind, planBuild, type EngineIdentity } from '../core/build/build-plan';
import type { ContextTransfer } from '../core/build/session/session-support';
import type { ContextBuilder } from '../core/context/context-build-files';
import { createContextTar } from '../core/context/context-pack';
import { writeContextTarWhileWalking } from '../core/context/context-tar-while-walking';
import { scanBuildFiles, type ContextScan } from '../core/context/context-scan';
import { contextSize } from '$shared/images/format';
import type { identifyEngine } from '../core/engine/identify-engine';
import { type CommandIO, parseCommandLine, resolveDockerfileArg, USAGE_ERROR } from './command-line';

export type { CommandIO } from './command-line';

const USAGE = `Usage: strata context <dir> [--dockerfile <path>] [--builder auto|classic|buildkit]
                      [--engine-kind docker|podman] [--json | --tar]

Print exactly what Strata's build of <dir> would send as its build context (the same rule as the
context panel and the build). The plan depends on the engine: Docker Engine (BuildKit or the classic
builder, Docker's ignore reading) or Podman (Buildah, which reads <Dockerfile>.dockerignore,
<Dockerfile>.containerignore, .containerignore and .dockerignore, first found). Unless --engine-kind
is given, the engine a build would use (DOCKER_HOST, DOCKER_CONTEXT or the current docker context,
then the well-known sockets) is asked what it is, with one ping; when none answers, the plan is for
Docker Engine with BuildKit, and a note on stderr says so.

Options:
  -f, --dockerfile <path>   Dockerfile (default <dir>/Dockerfile). A relative path is taken from the
                            current directory, as with docker build -f; if no such file exists there,
                            from the context directory.
      --builder <builder>   auto, classic or buildkit (default auto, as the build form). BuildKit
                            prefers <Dockerfile>.dockerignore and takes the context through a session:
                            the Dockerfile travels on its own and the rules apply to every path. The
                            classic builder reads only .dockerignore and always sends the Dockerfile
                            and .dockerignore in its tar (the engine drops them again).
      --engine-kind <kind>  docker or podman: plan for that engine without asking one (offline).
      --json                Print {"builder":B,"files":[{path,type,size}...],"totalBytes":N,"excluded":N,
                            "engine":{"kind":K,"product":P,"determinedBy":D[,"address":A,"source":S]},
                            "transfer":T}: K is the engine planned for (docker or podman), D how it was
                            found: "asked-engine" (the engine answered; A and S say where it was found),
                            "engine-kind-option" (--engine-kind) or "no-engine-answered" (planned for
                            Docker Engine with BuildKit); T is how the context goes: "session" (BuildKit
                            asks for the files one by one) or "tar".
      --tar                 Write the tar itself to stdout, byte for byte what the build uploads, e.g.
                            strata context . --tar | DOCKER_BUILDKIT=0 docker build -
                            A BuildKit build uploads no tar when the engine takes a session (it sends
                            the listed files one by one, only changed ones on a rebuild); for BuildKit
                            this writes the tar Strata uploads when the engine refuses a session, which
                            must carry an excluded Dockerfile and ignore file (and auto then takes the
                            classic builder when .dockerignore excludes either). A line on stderr says so.
                            The tar is written while the context is walked, as tar does: a file found
                            unreadable part way ends it short (no end-of-archive blocks) with exit 1.
      --top <n>             How many largest files and folders to list (default 10).
  -h, --help                Show this help.
`;

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function human(
  scan: ContextScan,
  top: number,
  note: string | undefined,
  engine: string,
  transfer: ContextTransfer,
): string {
  const out: string[] = [];
  const rel = (p: string): string => path.relative(scan.contextDir, p).split(path.sep).join('/') || '.';
  out.push(`Build context  ${scan.contextDir}  (${scan.builder === 'classic' ? 'classic builder' : 'BuildKit'})`);
  out.push(`Engine         ${engine}`);
  const df = scan.dockerfile;
  const dfState =
    transfer === 'session'
      ? df.inContext && df.sent
        ? 'in the context, and sent on its own'
        : `${df.inContext ? 'excluded from the context' : 'outside the context'}, sent on its own`
      : df.inContext
        ? df.sent
          ? 'sent'
          : 'not sent'
        : scan.builder === 'classic'
          ? 'outside the context, sent as .dockerfile.<id>'
          : 'outside the context';
  if (note) out.push(`Note           ${note}`);
  out.push(`Dockerfile     ${df.relPath} (${dfState})`);
  out.push(
    scan.ignoreFile
      ? `Ignore file    ${rel(scan.ignoreFile.path)} (${scan.patterns.length - scan.forcedPatterns.length} patterns${scan.forcedPatterns.length ? `, plus ${scan.forcedPatterns.join(' ')} ${scan.builder === 'classic' ? 'added by docker' : 'kept for the tar upload'}` : ''})`
      : 'Ignore file    none',
  );
  const other = scan.entries.length - scan.fileCount - scan.dirCount;
  out.push(
    `Sends          ${scan.fileCount} files, ${scan.dirCount} folders${other ? `, ${other} links and others` : ''}: ` +
      `${contextSize(scan.contentBytes)} of content, ${contextSize(scan.totalBytes)} of tar (${scan.totalBytes} bytes)`,
  );
  out.push(`Excluded       ${scan.excluded} paths`);
  for (const rule of scan.excludedBy) {
    out.push(
      `  ${pad(String(rule.count), 8)} ${rule.pattern}${rule.line !== undefined ? `  (line ${rule.line})` : ''}`,
    );
  }
  if (scan.largestFiles.length) {
    out.push('', `Largest files`);
    for (const f of scan.largestFiles.slice(0, top)) out.push(`  ${pad(contextSize(f.size), 9)} ${f.path}`);
  }
  if (scan.largestDirs.length) {
    out.push('', `Largest folders`);
    for (const d of scan.largestDirs.slice(0, top))
      out.push(`  ${pad(contextSize(d.size), 9)} ${d.path}/  (${d.files} files)`);
  }
  if (scan.warnings.length) {
    out.push('', 'Warnings');
    for (const w of scan.warnings)
      out.push(`  ! ${w.message}${w.suggestedRule ? ` Add "${w.suggestedRule}" to .dockerignore.` : ''}`);
  }
  return out.join('\n') + '\n';
}

/** The build's tar (core/context/context-pack: the bytes build.start uploads) to a stdout that is not the process's own. */
async function writeTar(scan: ContextScan, io: CommandIO): Promise<void> {
  const out = io.stdout;
  const tar = createContextTar(scan);
  if (out instanceof Writable) {
    // Piped with backpressure; stdout is not ended, as process.stdout must not be.
    await pipeline(tar, out, { end: false });
    return;
  }
  for await (const chunk of tar) out.write(chunk as Buffer);
}

/** What --engine-kind plans for: a BuildKit-capable Docker Engine, or Podman (Buildah). */
const OFFLINE_ENGINES: Record<'docker' | 'podman', EngineIdentity> = {
  docker: { product: 'Docker Engine', apiVersion: '1.41' },
  podman: { product: 'Podman', apiVersion: '1.41' },
};

/** The engine a plan is for, and how Strata came to it: what --json reports and the Engine line says. */
interface PlannedEngine {
  kind: 'docker' | 'podman';
  product: string;
  /** The engine answered; --engine-kind chose without asking; or none answered and Docker's default was planned. */
  determinedBy: 'asked-engine' | 'engine-kind-option' | 'no-engine-answered';
  /** Where the engine that answered was, and where that address was found (DOCKER_HOST, a context…). */
  address?: string;
  source?: string;
}

/** The engine a build would go to, as build.start plans for it; none answering is said on stderr. */
async function askEngine(
  deps: { identify?: typeof identifyEngine },
  io: CommandIO,
): Promise<{ engine?: EngineIdentity; planned: PlannedEngine }> {
  const identify = deps.identify ?? (await import('../core/engine/identify-engine')).identifyEngine;
  const { engine, looked } = await identify();
  if (engine) {
    const identity = { product: engine.product, apiVersion: engine.apiVersion };
    return {
      engine: identity,
      planned: {
        kind: plannedEngineKind(identity),
        product: engine.product,
        determinedBy: 'asked-engine',
        address: engine.address,
        source: engine.source,
      },
    };
  }
  io.stderr.write(
    `strata context: no engine answered, so this is the plan for Docker Engine with BuildKit; ` +
      `pass --engine-kind podman to plan for Podman.${looked.length ? `\n  Looked at: ${looked.join('\n  ')}` : ''}\n`,
  );
  return {
    planned: { kind: plannedEngineKind(undefined), product: 'Docker Engine', determinedBy: 'no-engine-answered' },
  };
}

/** The Engine line of the summary. */
function engineLine(planned: PlannedEngine): string {
  switch (planned.determinedBy) {
    case 'engine-kind-option':
      return `${planned.product} (--engine-kind ${planned.kind}, not asked)`;
    case 'asked-engine':
      return `${planned.product} at ${planned.address} (${planned.source})`;
    case 'no-engine-answered':
      return 'none answered: planned for Docker Engine with BuildKit';
  }
}

/**
 * `strata context <dir> [--dockerfile <path>] [--builder auto|classic|buildkit] [--engine-kind docker|podman]
 * [--json | --tar]`. `argv` holds the
 * arguments after the `context` word. Returns the exit code: 0; 1 with a message on stderr (missing
 * directory, bad .dockerignore, unreadable file); 2 for bad usage, as every strata command.
 */
export async function runContextCommand(
  argv: string[],
  io: CommandIO,
  deps: { identify?: typeof identifyEngine } = {},
): Promise<number> {
  const line = parseCommandLine({
    command: 'context',
    usage: USAGE,
    argv,
    io,
    operand: '<dir>',
    options: {
      dockerfile: { type: 'string', short: 'f' },
      builder: { type: 'string' },
      'engine-kind': { type: 'string' },
      json: { type: 'boolean' },
      tar: { type: 'boolean' },
      top: { type: 'string' },
    },
  });
  if ('exitCode' in line) return line.exitCode;
  const { values, operand: contextDir } = line;
  const builder = values.builder ?? 'auto';
  if (builder !== 'auto' && builder !== 'classic' && builder !== 'buildkit') {
    io.stderr.write(`strata context: --builder must be auto, classic or buildkit, not "${builder}"\n`);
    return USAGE_ERROR;
  }
  const engineKind = values['engine-kind'];
  if (engineKind !== undefined && engineKind !== 'docker' && engineKind !== 'podman') {
    io.stderr.write(`strata context: --engine-kind must be docker or podman, not "${engineKind}"\n`);
    return USAGE_ERROR;
  }
  if (values.tar && values.json) {
    io.stderr.write(`strata context: --tar and --json cannot be used together\n`);
    return USAGE_ERROR;
  }
  // As `docker save` does: a binary archive on a terminal is never what was meant.
  if (values.tar && (io.stdoutFd !== undefined ? isatty(io.stdoutFd) : io.stdout.isTTY)) {
    io.stderr.write(`strata context: --tar writes a binary archive: redirect or pipe stdout\n`);
    return USAGE_ERROR;
  }
  const top = values.top === undefined ? 10 : Number(values.top);
  if (!Number.isInteger(top) || top < 0) {
    io.stderr.write(`strata context: --top must be a whole number\n`);
    return USAGE_ERROR;
  }
  try {
    const dockerfile = resolveDockerfileArg(values.dockerfile, contextDir);
    const { engine, planned }: { engine?: EngineIdentity; planned: PlannedEngine } =
      engineKind !== undefined
        ? {
            engine: OFFLINE_ENGINES[engineKind],
            planned: {
              kind: engineKind,
              product: OFFLINE_ENGINES[engineKind].product,
              determinedBy: 'engine-kind-option',
            },
          }
        : await askEngine(deps, io);
    const plan = await planBuild({
      contextDir,
      ...(dockerfile !== undefined ? { dockerfile } : {}),
      requested: builder as ContextBuilder | 'auto',
      engine,
      // Only a tar can be written: for BuildKit, the one uploaded when the engine refuses a session.
      ...(values.tar ? { contextTransfer: 'tar' as const } : {}),
    });
    if (values.tar) {
      if (plan.builder === 'buildkit')
        io.stderr.write(
          `strata context: a BuildKit build sends no tar when the engine takes a session (the files go one by one); this is the tar uploaded when the engine refuses one${plan.files.forcedPatterns.length ? `, carrying ${plan.files.forcedPatterns.map((p) => p.slice(1)).join(' and ')} for BuildKit to read` : ''}.\n`,
        );
      // The process's own stdout: written while the walk goes on, as GNU tar does.
      if (io.stdoutFd !== undefined) await writeContextTarWhileWalking(plan.files, io.stdoutFd);
      else await writeTar(await scanBuildFiles(plan.files, { top: 0 }), io);
      return 0;
    }
    // The JSON lists no largest files or folders: not worked out for it.
    const scan = await scanBuildFiles(plan.files, { top: values.json ? 0 : top });
    if (values.json) {
      const files = scan.entries.map((e) => ({ path: e.path, type: e.type, size: e.size }));
      const out = {
        builder: scan.builder,
        files,
        totalBytes: scan.totalBytes,
        excluded: scan.excluded,
        engine: planned,
        transfer: plan.transfer,
      };
      io.stdout.write(JSON.stringify(out) + '\n');
    } else {
      io.stdout.write(human(scan, top, plan.note, engineLine(planned), plan.transfer));
    }
    return 0;
  } catch (err) {
    io.stderr.write(`strata context: ${(err as Error).message}\n`);
    return 1;
  }
}
