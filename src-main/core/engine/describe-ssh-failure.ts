import type { SshHopInfo, StrataDockerOptions } from './endpoint-options';
import { sshHopFailure } from './ssh-chain';

/** What ssh2 and Node say about a failure, as far as a message needs it. */
interface SshError {
  code?: string;
  level?: string;
  message?: string;
  /** SSH_MSG_CHANNEL_OPEN_FAILURE's reason code, for a forward the server would not open. */
  reason?: unknown;
}

/** RFC 4254's reason a server gives for not opening a forwarded connection: 1, administratively prohibited. */
const ADMINISTRATIVELY_PROHIBITED = 1;

/** Why an SSH host refused us or could not be reached, for a host with these settings; undefined if not an SSH reason. */
export function describeSshHost(err: unknown, host: Partial<SshHopInfo>): string | undefined {
  const e = err as SshError | null;
  const refusal = host.hostKeyCheck?.refusal;
  if (refusal !== undefined && /Host denied/i.test(e?.message ?? '')) return `refused: ${refusal}`;
  if (e?.level === 'client-authentication') {
    const offered = host.identities?.length ? host.identities.join(', ') : 'no key (no ssh agent, no ~/.ssh/id_* file)';
    return (
      `the SSH server refused the keys offered for ${host.username ?? 'this user'}@${host.host ?? 'the host'} ` +
      `(offered: ${offered}); add your public key to that user's authorized_keys, or load the right key into ssh-agent`
    );
  }
  return undefined;
}

/**
 * Why an engine behind jump hosts did not answer, naming the hop that failed (`jump host bastion (hop 1 of 3)`)
 * and why: not reachable, its host key refused, our keys refused, or a forward to the next hop it would not open.
 * Undefined when the failure is not one of the route's SSH connections (the engine itself answered badly).
 */
export function describeRouteFailure(err: unknown, options: StrataDockerOptions | undefined): string | undefined {
  const route = options?.remote?.route;
  const failure = sshHopFailure(err);
  if (route === undefined || failure === undefined) return undefined;
  const e = err as SshError;
  const count = route.jumps.length + 1;
  const { target } = route;
  const hop = route.jumps[failure.hop] ?? target;
  const isJump = failure.hop < route.jumps.length;
  const label = isJump
    ? `jump host ${hop.alias} (hop ${failure.hop + 1} of ${count}, ${account(hop)})`
    : `${target.alias} (hop ${count} of ${count}, ${account(hop)}, through ${route.jumps.map((j) => j.alias).join(', ')})`;

  if (failure.stage === 'forward') {
    const next = route.jumps[failure.hop + 1] ?? target;
    const to = `${address(next)} (${next.alias}${next === target ? ", the engine's host" : ', the next jump host'})`;
    const said = (e.message ?? '').replace(/^\(SSH\) Channel open failure: /, '');
    if (e.reason === ADMINISTRATIVELY_PROHIBITED)
      return (
        `${label} would not forward a connection to ${to}: ${said || 'administratively prohibited'}; its sshd ` +
        `must allow it (AllowTcpForwarding yes, and PermitOpen, if set, must list ${address(next)})`
      );
    return (
      `${label} could not connect to ${to}: ${said || 'no reason given'}; check the HostName and Port of ` +
      `${next.alias} as ${hop.alias} sees them`
    );
  }
  const ssh = describeSshHost(err, hop);
  if (ssh !== undefined) return `${label}: ${ssh}`;
  if (e.code === 'ECONNREFUSED') return `${label}: connection refused (no SSH server listens at ${address(hop)})`;
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return `${label}: the host name ${hop.host} is not known`;
  if (e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH')
    return `${label}: ${address(hop)} cannot be reached (${e.code})`;
  if (e.level === 'client-timeout') return `${label}: no SSH handshake within the time allowed (${e.message ?? ''})`;
  return `${label}: ${e.message ?? String(err)}`;
}

function address(host: Pick<SshHopInfo, 'host' | 'port'>): string {
  return `${host.host.includes(':') ? `[${host.host}]` : host.host}:${host.port}`;
}

function account(host: Pick<SshHopInfo, 'host' | 'port' | 'username'>): string {
  return `${host.username !== undefined ? `${host.username}@` : ''}${address(host)}`;
}
