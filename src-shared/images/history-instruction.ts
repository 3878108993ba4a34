/**
 * Turn a history entry's `created_by` into the instruction a person wrote. Pure.
 *
 *   classic builder  "/bin/sh -c #(nop)  CMD [\"sh\"]"        → CMD ["sh"]
 *                    "/bin/sh -c #(nop) COPY file:ab12 in /x " → COPY file:ab12 in /x
 *                    "|2 A=1 B=2 /bin/sh -c make"              → RUN make   (build args A=1, B=2)
 *                    "/bin/sh -c make"                          → RUN make
 *   BuildKit         "RUN |1 A=1 /bin/sh -c make # buildkit"   → RUN make   (build args A=1)
 *                    "COPY . /src # buildkit"                   → COPY . /src
 *   commit / import  "sh -c echo hi > /x", ""                  → kept as is
 */

import { DOCKERFILE_KEYWORDS } from '../dockerfile/dockerfile-keywords';

export interface CleanInstruction {
  /** The instruction as written in a Dockerfile, or the container command for a commit. */
  text: string;
  /** Upper-case Dockerfile keyword (RUN, COPY, ENV...), undefined for commits and imports. */
  keyword?: string;
  /** Build arguments the classic builder records in front of RUN ("|N k=v ..."). */
  buildArgs: string[];
}

/** Keywords that only change the image config: the builders never give them a layer. */
const METADATA_KEYWORDS: ReadonlySet<string> = new Set([
  'ARG',
  'CMD',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
]);

const NOP_PREFIXES = ['/bin/sh -c #(nop)', 'cmd /S /C #(nop)'];
const SHELL_PREFIXES = ['/bin/sh -c ', 'cmd /S /C '];

/** Strip "|N a=1 b=2 " (the classic builder's record of build args used by RUN). */
function takeBuildArgs(text: string): { rest: string; buildArgs: string[] } {
  const match = /^\|(\d+)\s/.exec(text);
  if (!match) return { rest: text, buildArgs: [] };
  const count = Number.parseInt(match[1]!, 10);
  let rest = text.slice(match[0].length);
  const buildArgs: string[] = [];
  for (let i = 0; i < count; i++) {
    const space = rest.indexOf(' ');
    if (space < 0) {
      buildArgs.push(rest);
      rest = '';
      break;
    }
    buildArgs.push(rest.slice(0, space));
    rest = rest.slice(space + 1);
  }
  return { rest, buildArgs };
}

function keywordOf(text: string): string | undefined {
  const word = /^([A-Za-z]+)(?:\s|$)/.exec(text)?.[1]?.toUpperCase();
  return word && DOCKERFILE_KEYWORDS.has(word) ? word : undefined;
}

/** Clean `created_by` into the instruction a person wrote, keeping build args apart. */
export function cleanInstruction(createdBy: string): CleanInstruction {
  let text = createdBy.replace(/\t/g, ' ').trim();
  const buildkit = text.endsWith('# buildkit');
  if (buildkit) text = text.slice(0, -'# buildkit'.length).trimEnd();

  let fromRun = false;
  if (buildkit && /^RUN\s/.test(text)) {
    fromRun = true;
    text = text.slice(4).trimStart();
  }
  const args = takeBuildArgs(text);
  text = args.rest;

  for (const prefix of NOP_PREFIXES) {
    if (text.startsWith(prefix)) {
      const rest = text.slice(prefix.length).trim();
      return { text: rest, ...(keywordOf(rest) ? { keyword: keywordOf(rest) } : {}), buildArgs: args.buildArgs };
    }
  }
  for (const prefix of SHELL_PREFIXES) {
    if (text.startsWith(prefix)) {
      return { text: `RUN ${text.slice(prefix.length).trim()}`, keyword: 'RUN', buildArgs: args.buildArgs };
    }
  }
  if (fromRun) return { text: `RUN ${text}`, keyword: 'RUN', buildArgs: args.buildArgs };
  const keyword = buildkit ? keywordOf(text) : undefined;
  return { text, ...(keyword ? { keyword } : {}), buildArgs: args.buildArgs };
}

/** Whether an entry with this instruction can have made a layer (metadata instructions never do). */
export function mayCreateLayer(instruction: CleanInstruction): boolean {
  return instruction.keyword === undefined || !METADATA_KEYWORDS.has(instruction.keyword);
}
