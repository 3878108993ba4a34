/**
 * The normalised build events: the same shapes whichever builder (classic or BuildKit) ran the build,
 * so one view shows both.
 */

export type BuilderKind = 'classic' | 'buildkit';

/** One unit of build work: a Dockerfile step, or the builder's own work (loading the context, exporting). */
export interface BuildStep {
  /** Stable within one build: `step-<N>` for the classic builder, the vertex digest for BuildKit. */
  id: string;
  /** As the builder names it, without its `[stage N/M]` prefix: `RUN echo hi`, `exporting to image`. */
  name: string;
  /** The instruction keyword (`RUN`, `COPY`, ...), absent for the builder's own work. */
  instruction?: string;
  /** N of "step N of M" as the builder counts (classic: across the whole Dockerfile; BuildKit: within the stage). */
  index?: number;
  total?: number;
  /** Stage name as the builder shows it (`base`, `stage-0`), when it shows one. */
  stage?: string;
  /** 1-based line of the instruction in the Dockerfile, when it can be derived. */
  line?: number;
  kind: StepKind;
}

/**
 * `instruction`: a Dockerfile step that is cached or run; `base`: FROM, resolving the base image;
 * `meta`: an ARG before the first FROM (classic builder); `internal`: the builder's own work
 * (loading the context, exporting the image). Only `instruction` steps count as cached or run.
 */
export type StepKind = 'instruction' | 'base' | 'meta' | 'internal';

export type LogStream = 'stdout' | 'stderr';

/** A build event before it is stamped with its time. */
export type BuildEventBody =
  /** `totalBytes` null when the context's size was not given. */
  | { type: 'upload'; sentBytes: number; totalBytes: number | null; done: boolean }
  | { type: 'step-start'; step: BuildStep }
  | { type: 'step-cached'; stepId: string }
  /** One line of output, ANSI escapes kept; `stepId` null for builder messages outside any step. */
  | { type: 'step-log'; stepId: string | null; stream: LogStream; line: string }
  /**
   * One line of the builder's own text as `docker build` prints it ("Step 3/6 : COPY . .", " ---> Using cache";
   * BuildKit's plain progress "#5 [2/6] RUN …", "#5 CACHED"), ANSI kept; `stepId` links it to its step.
   */
  | { type: 'builder-log'; stepId: string | null; text: string }
  | { type: 'step-done'; stepId: string; cached: boolean; durationMs: number }
  | { type: 'error'; stepId: string | null; line?: number; message: string; statusCode?: number }
  | { type: 'result'; imageId: string; tags: string[] };

/** A build event with `at`: milliseconds since the build started. */
export type BuildEvent = BuildEventBody & { at: number };

/** One message of the engine's /build response stream (JSON lines). */
export interface BuildMessage {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: unknown;
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

/** What a stream parser turns engine messages into. */
export interface BuildStreamParser {
  /** Parse one engine message; `nowMs` is the time it arrived (ms since the build started). */
  push(message: BuildMessage, nowMs: number): BuildEventBody[];
  /**
   * The stream ended: flush partial lines and close the open step. When `interrupted` (cancelled), the
   * open step stays unfinished and errors caused by the interruption are not reported.
   */
  end(nowMs: number, options?: { interrupted?: boolean }): BuildEventBody[];
  /** The image ID the engine reported, once it has. */
  readonly imageId: string | undefined;
  /** The first failure the engine reported, once it has. */
  readonly failure: { stepId: string | null; line?: number; message: string } | undefined;
}
