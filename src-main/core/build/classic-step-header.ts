import type { StepLocator } from './step-locator';

/**
 * The header line that opens a step in the classic builder's stream, read the same way by the stream parser
 * (the step list) and the log printer (the builder's log), so a step's lines in the log carry the step list's ID.
 *
 * Docker writes `Step 1/2 : FROM x`; Podman (Buildah) `STEP 1/2: FROM x`, with `[stage/stages] ` before STEP in a
 * multi-stage build (steps then count per stage).
 */
const STEP = /^(?:\[(\d+)\/\d+\] )?(Step|STEP) (\d+)\/(\d+) ?: (.*)$/;

/**
 * Buildah's commit of a stage's last step, printed after that step's header and output and before its
 * `--> <id>`: `COMMIT <name>` (`[2/2] COMMIT <name>` in a multi-stage build), a bare `COMMIT` with no tag.
 * It is that step's commit (the step's layer is the image), so it belongs to the step; what follows its
 * `--> <id>` (Buildah's "Successfully tagged", the image ID, the API's "Successfully built") is the build's.
 */
export const BUILDAH_COMMIT = /^(?:\[\d+\/\d+\] )?COMMIT(?: .*)?$/;

export interface ClassicStepHeader {
  /** `step-<N>` in the whole Dockerfile's count; `step-<stage>.<N>` for a Buildah step the outline cannot place. */
  id: string;
  /** The instruction as printed: `COPY . /app/`. */
  name: string;
  /** N of "step N of M", counted across the whole Dockerfile as Docker counts (Buildah's count placed there). */
  index: number;
  total: number;
  line?: number;
  stage?: string;
  /** Printed by Buildah (`STEP`), not Docker (`Step`). */
  buildah: boolean;
}

/** The step a header line opens, or undefined when the line is no header. */
export function classicStepHeader(text: string, locator?: StepLocator): ClassicStepHeader | undefined {
  const step = STEP.exec(text);
  if (!step) return undefined;
  const buildah = step[2] === 'STEP';
  const stage = Number(step[1] ?? 1);
  const name = step[5] ?? '';
  let index = Number(step[3]);
  let total = Number(step[4]);
  let id = `step-${index}`;
  let located: { line?: number; stage?: string } = {};
  if (buildah) {
    // Buildah counts per stage: place the step in the whole Dockerfile, as Docker's count does.
    const placed = locator?.buildah(stage, index);
    if (placed) {
      ({ ordinal: index, total } = placed);
      located = {
        ...(placed.line !== undefined ? { line: placed.line } : {}),
        ...(placed.stage ? { stage: placed.stage } : {}),
      };
      id = `step-${index}`;
    } else if (step[1] !== undefined) id = `step-${stage}.${index}`;
  } else located = locator?.classic(index) ?? {};
  return { id, name, index, total, ...located, buildah };
}
