import { StrataError } from '$shared/engine/errors';
import { resolveSshHost, type ResolveSshHostOptions, type SshHost } from './ssh-config';
import { jumpSpecText, type JumpSpec } from './ssh-jump-spec';

/** A jump host on the way to an ssh:// engine, resolved through the ssh config as ssh resolves it. */
export interface SshJumpHost extends SshHost {
  /** How ProxyJump named it, `[user@]host[:port]` (tokens expanded): what `ssh -J` would take. */
  spec: string;
}

/** Every SSH connection an ssh:// engine needs: the jump hosts in the order they are connected, then the target. */
export interface SshRoute {
  jumps: SshJumpHost[];
  target: SshHost;
}

/** More jump hosts than this is a configuration gone wrong (OpenSSH sets no limit; it would spawn ssh after ssh). */
export const MAX_JUMPS = 8;

/**
 * Resolve an ssh:// host and the jump hosts its ProxyJump goes through, as OpenSSH does. OpenSSH turns
 * `ProxyJump a,b,c` into `ssh -J a,b c -W host:port`, so the last jump host is reached through the ones before it
 * given as on the command line (its own ProxyJump and ProxyCommand do not apply), and so on down to the first,
 * which is connected as `ssh a` and follows its own ProxyJump, if it has one. Each jump host is resolved through
 * the config on its own (HostName, Port, User, IdentityFile, known hosts), the user and port written in the list
 * winning. A route that comes back to a host it already goes through, or that needs more than MAX_JUMPS jump
 * hosts, is refused.
 */
export async function resolveSshRoute(options: ResolveSshHostOptions): Promise<SshRoute> {
  const target = await resolveSshHost(options);
  // The address's own user and port are the target's; a jump host takes only those its ProxyJump entry gives.
  const base: ResolveSshHostOptions = { ...options };
  delete base.port;
  delete base.username;
  const seen = new Map<string, string>([[identity(target), target.alias]]);
  const count = { jumps: 0 };

  const hopsBefore = async (list: JumpSpec[], path: string[]): Promise<SshJumpHost[]> => {
    const last = list.at(-1);
    if (last === undefined) return [];
    const extra = list.slice(0, -1);
    const hop = await resolveSshHost({
      ...base,
      host: last.host,
      ...(last.port !== undefined ? { port: last.port } : {}),
      ...(last.user !== undefined ? { username: last.user } : {}),
      ...(extra.length > 0 ? { jumpsGiven: extra } : {}),
    });
    const where = [...path, hop.alias];
    const id = identity(hop);
    const before = seen.get(id);
    if (before !== undefined) {
      throw new StrataError(
        'invalid-input',
        `ProxyJump makes a loop: the way to ${target.alias} would go through ${id} (${before}) twice ` +
          `(${[...where].reverse().join(' → ')}). ` +
          `If ${hop.alias} is reached directly, give it \`ProxyJump none\` in a \`Host ${hop.alias}\` block placed before ` +
          `the block that sets its ProxyJump (in ${target.configFiles.join(' or ') || '~/.ssh/config'}).`,
      );
    }
    seen.set(id, hop.alias);
    count.jumps += 1;
    if (count.jumps > MAX_JUMPS) {
      throw new StrataError(
        'invalid-input',
        `ProxyJump for ${target.alias} goes through more than ${MAX_JUMPS} jump hosts ` +
          `(${[...where].reverse().join(' → ')} → …); Strata stops there. Check the ProxyJump lines of ` +
          `${target.configFiles.join(' or ') || '~/.ssh/config'}.`,
      );
    }
    const jumps = await hopsBefore(extra.length > 0 ? extra : (hop.proxyJump ?? []), where);
    return [...jumps, { ...hop, spec: jumpSpecText(last) }];
  };

  const jumps = await hopsBefore(target.proxyJump ?? [], [target.alias]);
  return { jumps, target };
}

/** One SSH server and account: going through the same one twice is a loop. */
function identity(host: SshHost): string {
  return `${host.username ?? ''}@${host.hostName.includes(':') ? `[${host.hostName}]` : host.hostName}:${host.port}`;
}
