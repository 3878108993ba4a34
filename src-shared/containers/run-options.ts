import { shellJoin } from '../commit/shell-quote';

/** A published port, as `-p [hostIp:]hostPort:containerPort[/protocol]`. */
export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol?: 'tcp' | 'udp';
  /** Address on the host to bind; all interfaces when absent (as docker does). */
  hostIp?: string;
}

/** A bind mount, as `-v /host/path:/container/path[:ro]`. */
export interface BindVolume {
  source: string;
  target: string;
  readOnly?: boolean;
}

/** The `docker run` options Strata's Run dialog offers, in the order `docker run --help` lists them. */
export interface RunLineOptions {
  /** Image reference or ID to run. */
  image: string;
  /** Container name; the engine picks one when absent. */
  name?: string;
  /** Command (argv) replacing the image's CMD; the image's CMD when absent. */
  command?: string[];
  /** Extra environment, `KEY=value` each. */
  env?: string[];
  /** Allocate a TTY and keep stdin open (as `docker run -it`); default true so a terminal can attach. */
  interactive?: boolean;
  /** Remove the container when it stops (`--rm`). */
  remove?: boolean;
  /** Published ports (`-p`). */
  ports?: PortMapping[];
  /** Bind mounts (`-v /host:/container[:ro]`). */
  volumes?: BindVolume[];
  /** Working directory inside the container (`-w`). */
  workdir?: string;
  /** User (and group) to run as (`-u`). */
  user?: string;
}

/** `8080:80/udp` for a port mapping, as docker prints it. */
function portSpec(p: PortMapping): string {
  const host = p.hostIp ? `${p.hostIp}:${p.hostPort}` : String(p.hostPort);
  return `${host}:${p.containerPort}${p.protocol && p.protocol !== 'tcp' ? `/${p.protocol}` : ''}`;
}

/** `/src:/app:ro` for a bind mount. */
export function volumeSpec(v: BindVolume): string {
  return `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`;
}

/**
 * Parse one `-p` value as a person types it: `8080:80`, `127.0.0.1:8080:80`, `53:53/udp`. Ports are 1–65535.
 * Returns an error sentence for anything else.
 */
export function parsePort(text: string): PortMapping | { error: string } {
  const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(text.trim());
  if (!m) return { error: `"${text}" is not HOST:CONTAINER (for example 8080:80 or 127.0.0.1:8080:80/udp).` };
  const hostPort = Number(m[2]);
  const containerPort = Number(m[3]);
  if (!validPort(hostPort) || !validPort(containerPort)) return { error: `"${text}": ports are 1 to 65535.` };
  return {
    hostPort,
    containerPort,
    ...(m[4] ? { protocol: m[4] as 'tcp' | 'udp' } : {}),
    ...(m[1] ? { hostIp: m[1] } : {}),
  };
}

/** Parse one `-v` value: `/host:/container` or `/host:/container:ro`; both paths absolute (a bind, not a named volume). */
export function parseVolume(text: string): BindVolume | { error: string } {
  const trimmed = text.trim();
  const ro = /:(ro|rw)$/.exec(trimmed);
  const body = ro ? trimmed.slice(0, -3) : trimmed;
  // The container side is POSIX; the host side may be a Windows path with a drive letter ("C:\src").
  const split = body.lastIndexOf(':/');
  if (split <= 0) return { error: `"${text}" is not /host/path:/container/path (add :ro for read-only).` };
  const source = body.slice(0, split);
  const target = body.slice(split + 1);
  if (!/^(\/|[A-Za-z]:[\\/])/.test(source)) return { error: `"${source}" is not an absolute path on this computer.` };
  return { source, target, ...(ro?.[1] === 'ro' ? { readOnly: true } : {}) };
}

function validPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** The `docker run` line that does what the dialog will do, for a person to read or copy. */
export function dockerRunLine(o: RunLineOptions): string {
  const args = ['docker', 'run', '-d'];
  if (o.interactive ?? true) args.push('-it');
  if (o.remove) args.push('--rm');
  if (o.name) args.push('--name', o.name);
  for (const e of o.env ?? []) args.push('-e', e);
  for (const p of o.ports ?? []) args.push('-p', portSpec(p));
  for (const v of o.volumes ?? []) args.push('-v', volumeSpec(v));
  if (o.workdir) args.push('-w', o.workdir);
  if (o.user) args.push('-u', o.user);
  args.push(o.image, ...(o.command ?? []));
  return shellJoin(args);
}
