import type { BuilderKind, BuildMessage } from './build-events';
import { type BuildkitStatus, decodeBuildkitStatus } from './buildkit-status-decoder';
import { BUILDAH_COMMIT, classicStepHeader } from './classic-step-header';
import { LineBuffer } from './line-buffer';
import type { StepLocator } from './step-locator';

/** One line of the builder's own text, as `docker build` prints it; ANSI escapes kept. */
export interface BuilderLogLine {
  /** The step the line belongs to (the same ids as the build's steps), null for the build's own lines. */
  stepId: string | null;
  text: string;
}

/** Turns the engine's /build messages into the text a terminal shows for the same build. */
export interface BuilderLogPrinter {
  push(message: BuildMessage): BuilderLogLine[];
  end(): BuilderLogLine[];
}

/** `locator` places Buildah's per-stage steps as the step list does, so both name a step by the same ID. */
export function builderLogPrinter(builder: BuilderKind, locator?: StepLocator): BuilderLogPrinter {
  return builder === 'classic' ? new ClassicLogPrinter(locator) : new BuildkitPlainPrinter();
}

/** A step's result image: Docker's ` ---> 4dc8d5f5ba32`, Buildah's `--> 4dc8d5f5ba3`. */
const STEP_RESULT = /^ ?--?-> [0-9a-f]{11,64}$/;

/**
 * The classic builder's log (Buildah's too, on Podman) is its `stream` text itself ("Step 3/6 : COPY . .", " ---> Using cache",
 * " ---> Running in …", " ---> 4dc8d5f5ba32"), plus status lines (pulls) and the error, as the docker CLI
 * prints them. Lines from "Step N/M" on belong to step N, until the next step or "Successfully built". Buildah
 * ends a stage's last step with `COMMIT <name>` and `--> <id>`: those are the step's, what follows is the build's.
 */
export class ClassicLogPrinter implements BuilderLogPrinter {
  private readonly lines = new LineBuffer<''>();
  private stepId: string | null = null;
  /** The current step was opened by Buildah's `STEP` (Docker prints no COMMIT: a RUN's "COMMIT" is its output). */
  private buildah = false;
  /** Buildah printed the current step's COMMIT: its `--> <id>` is the step's last line. */
  private committed = false;

  constructor(private readonly locator?: StepLocator) {}

  push(message: BuildMessage): BuilderLogLine[] {
    const out: BuilderLogLine[] = [];
    if (typeof message.stream === 'string') {
      for (const text of this.lines.push('', message.stream)) out.push(this.line(text));
    }
    // Pull progress ticks are redrawn in place by a terminal; a log keeps the status lines only.
    if (typeof message.status === 'string' && !(message.progressDetail && message.progressDetail.current)) {
      out.push(...this.flush());
      out.push({ stepId: this.stepId, text: message.id ? `${message.id}: ${message.status}` : message.status });
    }
    if (message.errorDetail || typeof message.error === 'string') {
      out.push(...this.flush());
      out.push({ stepId: this.stepId, text: message.errorDetail?.message ?? message.error ?? '' });
    }
    return out;
  }

  end(): BuilderLogLine[] {
    return this.flush();
  }

  private flush(): BuilderLogLine[] {
    return this.lines.flush('').map((text) => this.line(text));
  }

  private line(text: string): BuilderLogLine {
    const header = classicStepHeader(text, this.locator);
    if (header) {
      this.stepId = header.id;
      this.buildah = header.buildah;
      this.committed = false;
    }
    // Docker ends with "Successfully built", then "…tagged"; Buildah tags first ("COMMIT", "Successfully tagged").
    else if (/^Successfully (built|tagged) /.test(text)) this.stepId = null;
    else if (this.stepId !== null && this.buildah && BUILDAH_COMMIT.test(text)) this.committed = true;
    else if (this.committed && STEP_RESULT.test(text)) {
      // The committed step's result: the last line of the step; Buildah's image ID and tags come next.
      const line = { stepId: this.stepId, text };
      this.stepId = null;
      this.committed = false;
      return line;
    }
    return { stepId: this.stepId, text };
  }
}

interface PlainVertex {
  index: number;
  name: string;
  started?: number;
  completed?: number;
  cached: boolean;
  error?: string;
  announced: boolean;
  finished: boolean;
}

/**
 * BuildKit's trace rendered as `--progress=plain` prints it (buildkit util/progress/progressui): each
 * vertex numbered in the order it appears, "#5 [2/6] RUN …", its finished statuses ("#1 transferring
 * context: 2B done"), its output ("#5 0.215 hi", seconds since the vertex started), then "#5 CACHED",
 * "#5 DONE 0.3s" or "#5 ERROR: …". Only finished statuses are printed: a log has no in-place redraws.
 */
export class BuildkitPlainPrinter implements BuilderLogPrinter {
  private readonly vertices = new Map<string, PlainVertex>();
  private readonly printedStatuses = new Set<string>();
  private readonly partial = new LineBuffer<string>();
  private current: string | undefined;
  private printedAny = false;

  push(message: BuildMessage): BuilderLogLine[] {
    const out: BuilderLogLine[] = [];
    if (message.id === 'moby.buildkit.trace' && typeof message.aux === 'string') {
      let status: BuildkitStatus;
      try {
        status = decodeBuildkitStatus(message.aux);
      } catch {
        return out;
      }
      this.onStatus(status, out);
    }
    if (message.errorDetail || typeof message.error === 'string') {
      this.switchTo(undefined, out);
      out.push({ stepId: null, text: `ERROR: ${message.errorDetail?.message ?? message.error ?? ''}` });
    }
    return out;
  }

  end(): BuilderLogLine[] {
    const out: BuilderLogLine[] = [];
    for (const [key, text] of this.partial.flushAll()) {
      const digest = key.split('\0')[0] ?? '';
      const v = this.vertices.get(digest);
      if (v) out.push({ stepId: digest, text: `#${v.index} ${text}` });
    }
    return out;
  }

  private onStatus(status: BuildkitStatus, out: BuilderLogLine[]): void {
    for (const vertex of status.vertexes) {
      let v = this.vertices.get(vertex.digest);
      if (!v) {
        v = { index: this.vertices.size + 1, name: vertex.name, cached: false, announced: false, finished: false };
        this.vertices.set(vertex.digest, v);
      }
      v.name = vertex.name || v.name;
      v.cached = vertex.cached;
      if (vertex.started !== undefined) v.started = vertex.started;
      if (vertex.completed !== undefined) v.completed = vertex.completed;
      if (vertex.error) v.error = vertex.error;
      if ((v.started !== undefined || v.cached) && !v.announced) this.header(vertex.digest, out);
    }
    for (const s of status.statuses) {
      const key = `${s.vertex}\0${s.id}`;
      if (s.completed === undefined || this.printedStatuses.has(key) || !this.vertices.has(s.vertex)) continue;
      this.printedStatuses.add(key);
      const v = this.header(s.vertex, out);
      const bytes = s.total
        ? ` ${plainBytes(s.current)} / ${plainBytes(s.total)}`
        : s.current
          ? ` ${plainBytes(s.current)}`
          : '';
      const seconds = s.started !== undefined ? (s.completed - s.started) / 1000 : 0;
      out.push({
        stepId: s.vertex,
        text: `#${v.index} ${s.id}${bytes}${seconds > 0.01 ? ` ${seconds.toFixed(1)}s` : ''} done`,
      });
    }
    for (const log of status.logs) {
      const v = this.vertices.get(log.vertex);
      if (!v) continue;
      this.header(log.vertex, out);
      const offset = log.timestamp !== undefined && v.started !== undefined ? (log.timestamp - v.started) / 1000 : 0;
      const key = `${log.vertex}\0${log.stream}`;
      for (const text of this.partial.push(key, Buffer.from(log.msg).toString('utf8'))) {
        out.push({ stepId: log.vertex, text: `#${v.index} ${Math.max(0, offset).toFixed(3)} ${text}` });
      }
    }
    for (const w of status.warnings) {
      const v = this.vertices.get(w.vertex);
      out.push({ stepId: v ? w.vertex : null, text: `${v ? `#${v.index} ` : ''}WARN: ${w.short}` });
    }
    for (const [digest, v] of this.vertices) {
      if (v.completed === undefined || v.finished || !v.announced) continue;
      this.header(digest, out);
      v.finished = true;
      for (const key of [`${digest}\x001`, `${digest}\x002`]) {
        for (const text of this.partial.flush(key)) out.push({ stepId: digest, text: `#${v.index} ${text}` });
      }
      out.push({ stepId: digest, text: `#${v.index} ${closing(v)}` });
      if (this.current === digest) this.current = undefined;
    }
  }

  /** The "#N name" header, printed when output moves to another vertex ("#N ..." closes the one left). */
  private header(digest: string, out: BuilderLogLine[]): PlainVertex {
    const v = this.vertices.get(digest) as PlainVertex;
    if (this.current === digest) return v;
    this.switchTo(digest, out);
    if (this.printedAny) out.push({ stepId: null, text: '' });
    this.printedAny = true;
    out.push({ stepId: digest, text: `#${v.index} ${v.name}` });
    v.announced = true;
    return v;
  }

  private switchTo(digest: string | undefined, out: BuilderLogLine[]): void {
    const old = this.current ? this.vertices.get(this.current) : undefined;
    if (old && this.current && !old.finished) out.push({ stepId: this.current, text: `#${old.index} ...` });
    this.current = digest;
  }
}

function closing(v: PlainVertex): string {
  if (v.error) return v.error.endsWith('context canceled') ? 'CANCELED' : `ERROR: ${v.error}`;
  if (v.cached) return 'CACHED';
  const seconds = v.started !== undefined && v.completed !== undefined ? (v.completed - v.started) / 1000 : 0;
  return `DONE ${seconds.toFixed(1)}s`;
}

/** Sizes as BuildKit's plain output writes them: "2B", "1.23kB", "4.10MB" (powers of 1024). */
export function plainBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n}B` : `${Number(value.toFixed(2))}${units[unit]}`;
}
