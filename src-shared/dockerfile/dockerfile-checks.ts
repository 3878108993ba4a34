import { INSTRUCTION_FLAGS, parseFlags, type FlagValue } from './dockerfile-flags';
import { unquoteShellWord } from './dockerfile-heredoc';
import { goQuote } from '../go/strconv-quote';
import type { DockerfileInstruction } from './dockerfile-instruction';
import {
  exposeProblem,
  intervalProblem,
  platformSpecifierProblem,
  retriesProblem,
  signalProblem,
} from './dockerfile-values';

/*
 * The checks BuildKit's instructions parser (frontend/dockerfile/instructions/parse.go) makes when it
 * turns each parsed line into a command, in the order it makes them, plus the few value checks both
 * builders make before running any step (EXPOSE ports, STOPSIGNAL, FROM --platform). The classic
 * builder uses the same parser, so both reject the same lines with the same reasons.
 */

const atLeastOne = (cmd: string) => `${cmd} requires at least one argument`;
const exactlyOne = (cmd: string) => `${cmd} requires exactly one argument`;
const noDestination = (cmd: string) =>
  `${cmd} requires at least two arguments, but only one was provided. Destination could not be determined`;
const blankNames = (cmd: string) => `${cmd} names can not be blank`;
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;
const HEREDOC_WORD = /^\d*<<-?\S/;
const MOUNT_TYPES = new Set(['bind', 'cache', 'tmpfs', 'secret', 'ssh']);

type Flags = { flags: FlagValue[] } | { error: string };

/** A value the builder expands with build args first: checked only when it holds no variable. */
function literal(word: string, escapeToken: string): string | undefined {
  return word.includes('$') ? undefined : unquoteShellWord(word, escapeToken);
}

function flagValue(flags: FlagValue[], name: string): string | undefined {
  return flags.findLast((f) => f.name === name)?.value;
}

function checkFrom(args: string[], flags: () => Flags, escapeToken: string): string | undefined {
  if (args.length === 3 && args[1]?.toLowerCase() === 'as') {
    if (!STAGE_NAME.test((args[2] as string).toLowerCase()))
      return `invalid name for build stage: ${goQuote(args[2] as string)}, name can't start with a number or contain symbols`;
  } else if (args.length !== 1) return 'FROM requires either one or three arguments';
  const parsed = flags();
  if ('error' in parsed) return parsed.error;
  const platform = flagValue(parsed.flags, 'platform');
  const value = platform ? literal(platform, escapeToken) : undefined;
  if (value === '') return `empty platform value from expression ${platform}`;
  const problem = value ? platformSpecifierProblem(value) : undefined;
  return problem ? `failed to parse platform ${platform}: ${problem}` : undefined;
}

function checkRun(flags: () => Flags): string | undefined {
  const parsed = flags();
  if ('error' in parsed) return parsed.error;
  const network = flagValue(parsed.flags, 'network');
  if (network !== undefined && !['default', 'none', 'host'].includes(network))
    return `invalid network mode ${goQuote(network)}`;
  const security = flagValue(parsed.flags, 'security');
  if (security !== undefined && !['sandbox', 'insecure'].includes(security))
    return `security ${goQuote(security)} is not valid`;
  for (const mount of parsed.flags.filter((f) => f.name === 'mount')) {
    const type = /(?:^|,)type=([^,]*)/i.exec(mount.value ?? '')?.[1];
    if (type !== undefined && !type.includes('$') && !MOUNT_TYPES.has(type.toLowerCase()))
      return `unsupported mount type ${goQuote(type)}`;
  }
  return undefined;
}

function checkHealthcheck(args: string[], flags: () => Flags): string | undefined {
  if (args.length === 0) return atLeastOne('HEALTHCHECK');
  const type = (args[0] as string).toUpperCase();
  // HEALTHCHECK NONE never reads its flags.
  if (type === 'NONE') return args.length > 1 ? 'HEALTHCHECK NONE takes no arguments' : undefined;
  const parsed = flags();
  if ('error' in parsed) return parsed.error;
  if (type !== 'CMD') return `Unknown type ${goQuote(type)} in HEALTHCHECK (try CMD)`;
  if (args.length === 1) return 'Missing command after HEALTHCHECK CMD';
  for (const name of ['interval', 'timeout', 'start-period', 'start-interval']) {
    const problem = intervalProblem(name, flagValue(parsed.flags, name));
    if (problem) return problem;
  }
  return retriesProblem(flagValue(parsed.flags, 'retries'));
}

function checkSourcesAndDest(cmd: 'ADD' | 'COPY', args: string[], flags: () => Flags): string | undefined {
  if (args.length < 2) return noDestination(cmd);
  const parsed = flags();
  if ('error' in parsed) return parsed.error;
  if (HEREDOC_WORD.test(args[args.length - 1] as string)) return `${cmd} cannot accept a heredoc as a destination`;
  return undefined;
}

function checkKeyValues(cmd: 'ENV' | 'LABEL', args: string[], flags: () => Flags): string | undefined {
  const parsed = flags();
  if ('error' in parsed) return parsed.error;
  if (args.length === 0) return atLeastOne(cmd);
  for (let i = 0; i < args.length; i += 3) if (args[i] === '') return blankNames(cmd);
  return undefined;
}

function flagsOnly(flags: () => Flags): string | undefined {
  const parsed = flags();
  return 'error' in parsed ? parsed.error : undefined;
}

/** One instruction's first problem as BuildKit words it, or undefined when both builders accept it. */
export function instructionProblem(instruction: DockerfileInstruction, escapeToken: string): string | undefined {
  const { name, args } = instruction;
  const flags = (): Flags => parseFlags(instruction.flags, INSTRUCTION_FLAGS[name] ?? {});
  switch (name) {
    case 'from':
      return checkFrom(args, flags, escapeToken);
    case 'add':
      return checkSourcesAndDest('ADD', args, flags);
    case 'copy':
      return checkSourcesAndDest('COPY', args, flags);
    case 'env':
      return checkKeyValues('ENV', args, flags);
    case 'label':
      return checkKeyValues('LABEL', args, flags);
    case 'maintainer':
    case 'workdir':
    case 'user':
      return args.length !== 1 ? exactlyOne(name.toUpperCase()) : flagsOnly(flags);
    case 'onbuild': {
      if (!instruction.sub) return atLeastOne('ONBUILD');
      const problem = flagsOnly(flags);
      if (problem) return problem;
      const trigger = instruction.sub.name.toUpperCase();
      if (trigger === 'ONBUILD') return "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed";
      if (trigger === 'MAINTAINER' || trigger === 'FROM') return `${trigger} isn't allowed as an ONBUILD trigger`;
      return undefined;
    }
    case 'run':
      return checkRun(flags);
    case 'cmd':
    case 'entrypoint':
      return flagsOnly(flags);
    case 'healthcheck':
      return checkHealthcheck(args, flags);
    case 'expose': {
      if (args.length === 0) return atLeastOne('EXPOSE');
      const problem = flagsOnly(flags);
      if (problem) return problem;
      for (const word of args) {
        const port = literal(word, escapeToken);
        const bad = port === undefined ? undefined : exposeProblem(port);
        if (bad) return bad;
      }
      return undefined;
    }
    case 'volume': {
      if (args.length === 0) return atLeastOne('VOLUME');
      const problem = flagsOnly(flags);
      if (problem) return problem;
      return args.some((v) => v.trim() === '') ? 'VOLUME specified can not be an empty string' : undefined;
    }
    case 'stopsignal': {
      if (args.length !== 1) return exactlyOne('STOPSIGNAL');
      const signal = literal(args[0] as string, escapeToken);
      return signal === undefined ? undefined : signalProblem(signal);
    }
    case 'arg':
      if (args.length === 0) return atLeastOne('ARG');
      return args.some((a) => a.startsWith('=')) ? blankNames('ARG') : undefined;
    case 'shell': {
      const problem = flagsOnly(flags);
      if (problem) return problem;
      if (args.length === 0) return atLeastOne('SHELL');
      return instruction.json ? undefined : 'SHELL requires the arguments to be in JSON form';
    }
    default:
      return `unknown instruction: ${instruction.keyword}`;
  }
}
