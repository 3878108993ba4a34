import { goQuote } from '../go/strconv-quote';
import { parseGoDuration } from '../go/time-duration';

/**
 * Go's parsers for the values builders check before they run anything: time.ParseDuration (HEALTHCHECK
 * intervals, ported in src-shared/go/time-duration), strconv.ParseInt (retries), the EXPOSE port spec, moby's signal names, containerd's
 * platform specifier. Each returns BuildKit's error message, or undefined when the value is accepted.
 */

/** parseOptInterval: an empty or zero value means "default"; anything else must be at least 1ms. */
export function intervalProblem(flag: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = parseGoDuration(value);
  if ('error' in parsed) return parsed.error;
  if (parsed.ns !== 0 && parsed.ns < 1e6) return `Interval ${goQuote(flag)} cannot be less than 1ms`;
  return undefined;
}

/** HEALTHCHECK --retries: strconv.ParseInt(v, 10, 32), then not negative. */
export function retriesProblem(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[+-]?\d+$/.test(value)) return `strconv.ParseInt: parsing ${goQuote(value)}: invalid syntax`;
  const n = Number(value);
  if (n > 2 ** 31 - 1 || n < -(2 ** 31)) return `strconv.ParseInt: parsing ${goQuote(value)}: value out of range`;
  if (n < 0) return `--retries cannot be negative (${n})`;
  return undefined;
}

function portNumber(raw: string): number | undefined {
  if (!/^[+-]?\d+$/.test(raw)) return undefined;
  const port = Number(raw);
  return port >= 0 && port <= 65535 ? port : undefined;
}

/** parsePortRange: `80` or `8000-9000`, each 0–65535, the end not below the start. */
function portRange(ports: string): [number, number] | undefined {
  if (ports === '') return undefined;
  const dash = ports.indexOf('-');
  const start = dash < 0 ? ports : ports.slice(0, dash);
  const end = dash < 0 ? start : ports.slice(dash + 1);
  const first = portNumber(start);
  if (first === undefined) return undefined;
  if (dash < 0 || start === end) return [first, first];
  const last = portNumber(end);
  if (last === undefined || last < first) return undefined;
  return [first, last];
}

/** One EXPOSE word after expansion: `[ip:][hostPort:]port[-end][/tcp|udp|sctp]` (dispatchExpose's parsePort). */
export function exposeProblem(rawPort: string): string | undefined {
  const parts = rawPort.split(':');
  const containerSpec = parts[parts.length - 1] as string;
  const hostPort = parts.length >= 2 ? (parts[parts.length - 2] as string) : '';
  const slash = containerSpec.indexOf('/');
  const port = slash < 0 ? containerSpec : containerSpec.slice(0, slash);
  const proto = slash < 0 ? '' : containerSpec.slice(slash + 1);
  if (port === '') return `invalid port: ${goQuote(rawPort)}: no port specified`;
  if (!['', 'tcp', 'udp', 'sctp'].includes(proto.toLowerCase()))
    return `invalid port: ${goQuote(rawPort)}: invalid proto: ${proto}`;
  const container = portRange(port);
  if (!container) return `invalid containerPort: ${port}`;
  if (hostPort !== '') {
    const host = portRange(hostPort);
    if (!host) return `invalid hostPort: ${hostPort}`;
    if (host[1] - host[0] !== container[1] - container[0] && container[0] !== container[1])
      return `invalid ranges specified for container and host Ports: ${port} and ${hostPort}`;
  }
  return undefined;
}

// moby/sys/signal's SignalMap for Linux, the names STOPSIGNAL takes (with or without SIG).
const SIGNALS = new Set([
  ...'ABRT ALRM BUS CHLD CLD CONT FPE HUP ILL INT IO IOT KILL PIPE POLL PROF PWR QUIT SEGV STKFLT STOP SYS TERM TRAP TSTP TTIN TTOU URG USR1 USR2 VTALRM WINCH XCPU XFSZ RTMIN RTMAX'.split(
    ' ',
  ),
  ...Array.from({ length: 15 }, (_, i) => `RTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `RTMAX-${i + 1}`),
]);

/** signal.ParseSignal: a non-zero number or a known name. */
export function signalProblem(raw: string): string | undefined {
  if (/^[+-]?\d+$/.test(raw)) {
    const n = Number(raw);
    // strconv.Atoi fails past 64 bits; then the name lookup fails too.
    return n === 0 || !Number.isSafeInteger(n) ? `invalid signal: ${raw}` : undefined;
  }
  const name = raw.toUpperCase().replace(/^SIG/, '');
  return SIGNALS.has(name) ? undefined : `invalid signal: ${raw}`;
}

const KNOWN_OS = new Set(
  'aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris windows zos'.split(
    ' ',
  ),
);
const KNOWN_ARCH = new Set(
  '386 amd64 amd64p32 arm armbe arm64 arm64be ppc64 ppc64le loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc riscv riscv64 s390 s390x sparc sparc64 wasm'.split(
    ' ',
  ),
);
const ARCH_ALIASES: Record<string, string> = {
  i386: '386',
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
};
const OS_COMPONENT = /^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$/;
const COMPONENT = /^[A-Za-z0-9_.-]+$/;

/** containerd's platforms.Parse, the error text only (`linux/amd64`, `arm64`, `windows(10.0.17763)/amd64`). */
export function platformSpecifierProblem(specifier: string): string | undefined {
  const q = goQuote(specifier);
  if (specifier.includes('*')) return `${q}: wildcards not yet supported: invalid argument`;
  const parts = specifier.split('/');
  if (parts.length > 3) return `${q}: cannot parse platform specifier: invalid argument`;
  const [os = '', ...rest] = parts;
  const osMatch = OS_COMPONENT.exec(os);
  if (!osMatch)
    return `${goQuote(os)} is an invalid OS component of ${q}: OSAndVersion specifier component must match ${goQuote(OS_COMPONENT.source)}: invalid argument`;
  for (const part of rest)
    if (!COMPONENT.test(part))
      return `${goQuote(part)} is an invalid component of ${q}: platform specifier component must match ${goQuote(COMPONENT.source)}: invalid argument`;
  if (parts.length === 1) {
    const name = (osMatch[1] as string).toLowerCase();
    const arch = ARCH_ALIASES[os.toLowerCase()] ?? os.toLowerCase();
    if (!KNOWN_OS.has(name === 'macos' ? 'darwin' : name) && !KNOWN_ARCH.has(arch))
      return `${q}: unknown operating system or architecture: invalid argument`;
  }
  return undefined;
}
