import { humanSize, shortId } from '$shared/images/format';
import { evaluateCiRules, parseCiRules } from '../core/layers/dive-ci-rules';
import type { CiEvaluation, CiRule, CiRuleName, CiThresholds } from '../core/layers/dive-ci-rules';
import { analyzeImageStream } from '../core/layers/image-analysis';
import { displayName } from '$shared/layers/raw-name';
import type { ImageAnalysis } from '../core/layers/image-analysis';
import { resolveAnalyzeTarget } from './analyze-target';
import { parseCommandLine } from './command-line';

export interface AnalyzeIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface AnalyzeDeps {
  /** Streams `docker save <ref>` from the engine. */
  readonly openEngineImage?: (ref: string, signal: AbortSignal) => Promise<NodeJS.ReadableStream>;
  readonly signal?: AbortSignal;
}

const FLAGS: Record<CiRuleName, string> = {
  lowestEfficiency: 'lowest-efficiency',
  highestWastedBytes: 'highest-wasted-bytes',
  highestUserWastedPercent: 'highest-user-wasted-percent',
};

const usage = `Usage: strata analyze <image-or-archive> [--json] [--ci] [--lowest-efficiency R] [--highest-wasted-bytes B] [--highest-user-wasted-percent P]

  <image-or-archive>  an image archive file (docker save output, legacy or OCI layout, optionally gzip/zstd)
                      or an image reference read from the engine at DOCKER_HOST
  --json              print the analysis as JSON
  --ci                evaluate dive's CI rules; exit 1 when one fails, 2 when a threshold is misconfigured
  --lowest-efficiency R            fail when efficiency < R (0..1, default 0.9)
  --highest-wasted-bytes B         fail when wasted bytes > B (SI sizes: 50kB = 50000; default disabled)
  --highest-user-wasted-percent P  fail when wasted/user bytes > P (0..1, default 0.1)
  Any threshold may be "disabled".`;

/** `strata analyze`: dive's efficiency figures and CI rules for an image or an image archive. */
export async function runAnalyzeCommand(argv: string[], io: AnalyzeIo, deps: AnalyzeDeps = {}): Promise<number> {
  const line = parseCommandLine({
    command: 'analyze',
    usage,
    argv,
    io,
    operand: '<image-or-archive>',
    wrongCount: 'expected one image or archive',
    options: {
      json: { type: 'boolean' },
      ci: { type: 'boolean' },
      'lowest-efficiency': { type: 'string' },
      'highest-wasted-bytes': { type: 'string' },
      'highest-user-wasted-percent': { type: 'string' },
    },
  });
  if ('exitCode' in line) return line.exitCode;
  const { values, operand: target } = line;
  const thresholds: CiThresholds = {
    lowestEfficiency: values['lowest-efficiency'],
    highestWastedBytes: values['highest-wasted-bytes'],
    highestUserWastedPercent: values['highest-user-wasted-percent'],
  };
  let rules: readonly CiRule[] | undefined;
  if (values.ci) {
    const ruleSet = parseCiRules(thresholds);
    if (!ruleSet.ok) {
      for (const error of ruleSet.errors) io.stderr.write(`strata analyze: --${FLAGS[error.name]}: ${error.message}\n`);
      io.stderr.write('CI Misconfigured\n');
      return 2;
    }
    rules = ruleSet.rules;
  } else if (Object.values(thresholds).some((value) => value !== undefined)) {
    io.stderr.write('strata analyze: thresholds only apply with --ci; ignoring them\n');
  }

  const resolved = await resolveAnalyzeTarget(target);
  if (resolved.kind === 'refused') {
    io.stderr.write(`strata analyze: ${resolved.message}\n`);
    return resolved.exitCode;
  }
  const controller = new AbortController();
  const signal = deps.signal ? AbortSignal.any([deps.signal, controller.signal]) : controller.signal;
  let analysis: ImageAnalysis;
  try {
    const source =
      resolved.kind === 'file'
        ? resolved.open()
        : await (deps.openEngineImage ?? openEngineImageStream)(resolved.ref, signal);
    const totalBytes = resolved.kind === 'file' ? resolved.totalBytes : undefined;
    analysis = await analyzeImageStream(source, {
      signal,
      totalBytes,
      // What this command prints (dive's figures, the reclaimable bytes, the layers) never compares file
      // contents: only the app's Files view and comparisons do. Hashing 400 MB was a quarter of the time.
      contentDigest: false,
      imageRef: resolved.kind === 'engine' ? resolved.ref : undefined,
      onProgress: progressPrinter(io.stderr, totalBytes),
    });
    clearProgress(io.stderr);
  } catch (error) {
    clearProgress(io.stderr);
    io.stderr.write(`strata analyze: ${describeError(error, target)}\n`);
    return 1;
  } finally {
    controller.abort();
  }

  const evaluation = rules ? evaluateCiRules(rules, analysis) : undefined;
  if (values.json) io.stdout.write(`${JSON.stringify(toJson(target, analysis, evaluation), null, 2)}\n`);
  else io.stdout.write(renderText(target, analysis, evaluation));
  return evaluation && !evaluation.pass ? 1 : 0;
}

/** Streams `docker save` of one image from the engine the app would use (DOCKER_HOST, context, well-known sockets). */
async function openEngineImageStream(ref: string, signal: AbortSignal): Promise<NodeJS.ReadableStream> {
  signal.throwIfAborted();
  // Loaded here, not at the top: the engine client costs a third of a second and 25 MiB at startup,
  // which reading an archive file never needs.
  const { connectOnce } = await import('../core/engine/connect-once');
  const docker = await connectOnce();
  return docker.getImage(ref).get();
}

function describeError(error: unknown, target: string): string {
  const failure = error as { statusCode?: number; json?: { message?: string }; message?: string; code?: string };
  if (failure.statusCode === 404) return `image "${target}" was not found in the engine and is not a file`;
  if (failure.code === 'ENOENT' || failure.code === 'ECONNREFUSED') {
    return `"${target}" is not a file, and the engine is unreachable (${failure.message ?? failure.code})`;
  }
  return failure.json?.message ?? failure.message ?? String(error);
}

function toJson(target: string, analysis: ImageAnalysis, evaluation: CiEvaluation | undefined): unknown {
  return {
    image: target,
    repoTags: analysis.repoTags,
    imageId: analysis.imageId,
    layout: analysis.layout,
    efficiency: analysis.efficiency,
    sizeBytes: analysis.sizeBytes,
    userSizeBytes: analysis.userSizeBytes,
    wastedBytes: analysis.wastedBytes,
    wastedUserPercent: analysis.wastedUserPercent,
    reclaimableBytes: analysis.reclaimableBytes,
    layers: analysis.layers.map((layer) => ({
      index: layer.index,
      id: layer.id,
      command: layer.command,
      sizeBytes: layer.sizeBytes,
      fileCount: layer.fileCount,
    })),
    // As dive's encoding/json does: bytes that are not UTF-8 print as U+FFFD.
    inefficientFiles: analysis.inefficientFiles.map((file) => ({
      path: displayName(file.path),
      count: file.count,
      wastedBytes: file.wastedBytes,
    })),
    ...(evaluation ? { ci: { pass: evaluation.pass, rules: evaluation.results } } : {}),
  };
}

function renderText(target: string, analysis: ImageAnalysis, evaluation: CiEvaluation | undefined): string {
  const lines: string[] = [];
  const name = analysis.repoTags[0] ?? target;
  lines.push(
    `Image: ${name} (${analysis.layout} layout, ${analysis.layers.length} layers, ${analysis.fileCount} files)`,
  );
  if (analysis.imageId) lines.push(`Image ID: ${shortId(analysis.imageId)}`);
  lines.push('', 'Layers:', `  ${'#'.padEnd(4)}${'Size'.padEnd(10)}${'Files'.padEnd(8)}Command`);
  for (const layer of analysis.layers) {
    const command = layer.command.replace(/\s+/g, ' ').trim();
    lines.push(
      `  ${String(layer.index).padEnd(4)}${humanSize(layer.sizeBytes).padEnd(10)}${String(layer.fileCount).padEnd(8)}${truncate(command, 80)}`,
    );
  }
  const wasted = analysis.wastedBytes;
  lines.push(
    '',
    'Analysis (computed as dive does):',
    `  efficiency:         ${percent(analysis.efficiency)}`,
    `  wastedBytes:        ${wasted} bytes${wasted > 0 ? ` (${humanSize(wasted)})` : ''}`,
    `  userWastedPercent:  ${wasted > 0 ? percent(analysis.wastedUserPercent) : '0 %'}`,
    `  image size:         ${humanSize(analysis.sizeBytes)} (${humanSize(analysis.userSizeBytes)} above the first layer)`,
    '',
    "Reclaimable (Strata's figure, not dive's: file copies shadowed by a later layer or deleted):",
    `  reclaimableBytes:   ${analysis.reclaimableBytes} bytes${analysis.reclaimableBytes > 0 ? ` (${humanSize(analysis.reclaimableBytes)})` : ''}`,
    '',
  );
  if (analysis.inefficientFiles.length === 0) {
    lines.push('Inefficient Files: (None)');
  } else {
    lines.push('Inefficient Files:', `  ${'Count'.padEnd(7)}${'Wasted Space'.padEnd(14)}File Path`);
    for (const file of analysis.inefficientFiles) {
      lines.push(`  ${String(file.count).padEnd(7)}${humanSize(file.wastedBytes).padEnd(14)}${displayName(file.path)}`);
    }
  }
  if (evaluation) {
    lines.push('', 'Evaluation:');
    for (const result of evaluation.results) {
      lines.push(`  ${result.status.toUpperCase().padEnd(6)}${result.name} (${result.message})`);
    }
    const tally = (status: string): number => evaluation.results.filter((r) => r.status === status).length;
    lines.push(
      '',
      `${evaluation.pass ? 'PASS' : 'FAIL'} [pass:${tally('pass')} fail:${tally('fail')} skip:${tally('skip')}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function percent(ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(2)} %` : String(ratio);
}

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

// Progress goes to stderr only on a terminal, so pipes and --json output stay clean.
function progressPrinter(stderr: NodeJS.WritableStream, totalBytes: number | undefined) {
  if (!(stderr as { isTTY?: boolean }).isTTY) return undefined;
  let last = 0;
  return ({ bytesRead }: { bytesRead: number }): void => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    const of = totalBytes ? ` of ${humanSize(totalBytes)}` : '';
    stderr.write(`\rreading image: ${humanSize(bytesRead)}${of}   `);
  };
}

function clearProgress(stderr: NodeJS.WritableStream): void {
  if ((stderr as { isTTY?: boolean }).isTTY) stderr.write('\r\x1b[K');
}
