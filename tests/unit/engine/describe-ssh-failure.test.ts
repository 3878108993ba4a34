import { describe, expect, it } from 'vitest';
import { describeEngineFailure } from '../../../src-main/core/engine/describe-failure';
import type { SshHopInfo, StrataDockerOptions } from '../../../src-main/core/engine/endpoint-options';
import { markSshHopFailure, type SshHopFailure } from '../../../src-main/core/engine/ssh-chain';

const hop = (alias: string, port: number, extra: Partial<SshHopInfo> = {}): SshHopInfo => ({
  alias,
  host: '10.0.0.1',
  port,
  username: 'ops',
  hostKeyCheck: {},
  identities: ['/home/ann/.ssh/id_ed25519'],
  ...extra,
});

/** The options of an engine at `box` behind `bastion` and `relay`, as dockerodeOptions describes the route. */
function behindTwo(changes: { bastion?: Partial<SshHopInfo>; box?: Partial<SshHopInfo> } = {}): StrataDockerOptions {
  const target = hop('box', 2203, { host: '10.0.0.9', username: 'deploy', ...changes.box });
  return {
    host: target.host,
    port: target.port,
    username: target.username,
    remote: {
      hostKeyCheck: target.hostKeyCheck,
      identities: target.identities,
      route: { jumps: [hop('bastion', 2201, changes.bastion), hop('relay', 2202)], target },
    },
  };
}

const failed = (props: Record<string, unknown>, failure: SshHopFailure) =>
  markSshHopFailure(Object.assign(new Error(String(props.message ?? 'failed')), props), failure);

describe('describeEngineFailure behind jump hosts: which hop, and why', () => {
  it("a jump host's refused host key, with that hop's own refusal", () => {
    const options = behindTwo({
      bastion: { hostKeyCheck: { refusal: 'the SSH host key of [10.0.0.1]:2201 has changed' } },
    });
    expect(
      describeEngineFailure(
        failed({ message: 'Host denied (verification failed)' }, { hop: 0, stage: 'connect' }),
        options,
      ),
    ).toBe(
      'jump host bastion (hop 1 of 3, ops@10.0.0.1:2201): refused: the SSH host key of [10.0.0.1]:2201 has changed',
    );
  });

  it("keys refused at the engine's host behind the jumps", () => {
    const options = behindTwo({ box: { identities: ['the ssh agent'] } });
    expect(
      describeEngineFailure(failed({ level: 'client-authentication' }, { hop: 2, stage: 'connect' }), options),
    ).toBe(
      'box (hop 3 of 3, deploy@10.0.0.9:2203, through bastion, relay): the SSH server refused the keys offered for ' +
        "deploy@10.0.0.9 (offered: the ssh agent); add your public key to that user's authorized_keys, or load the " +
        'right key into ssh-agent',
    );
  });

  it('a forward the jump host refuses, and one it cannot make', () => {
    const prohibited = failed(
      { message: '(SSH) Channel open failure: open failed', reason: 1 },
      { hop: 1, stage: 'forward' },
    );
    expect(describeEngineFailure(prohibited, behindTwo())).toBe(
      "jump host relay (hop 2 of 3, ops@10.0.0.1:2202) would not forward a connection to 10.0.0.9:2203 (box, the engine's host): " +
        'open failed; its sshd must allow it (AllowTcpForwarding yes, and PermitOpen, if set, must list 10.0.0.9:2203)',
    );
    const refused = failed(
      { message: '(SSH) Channel open failure: Connection refused', reason: 2 },
      { hop: 0, stage: 'forward' },
    );
    expect(describeEngineFailure(refused, behindTwo())).toBe(
      'jump host bastion (hop 1 of 3, ops@10.0.0.1:2201) could not connect to 10.0.0.1:2202 (relay, the next jump host): ' +
        'Connection refused; check the HostName and Port of relay as bastion sees them',
    );
  });

  it('a jump host that is not there: refused, unknown name, unreachable', () => {
    const options = behindTwo();
    const connect = { hop: 0, stage: 'connect' } as const;
    expect(describeEngineFailure(failed({ code: 'ECONNREFUSED' }, connect), options)).toBe(
      'jump host bastion (hop 1 of 3, ops@10.0.0.1:2201): connection refused (no SSH server listens at 10.0.0.1:2201)',
    );
    expect(describeEngineFailure(failed({ code: 'ENOTFOUND' }, connect), options)).toBe(
      'jump host bastion (hop 1 of 3, ops@10.0.0.1:2201): the host name 10.0.0.1 is not known',
    );
    expect(describeEngineFailure(failed({ code: 'EHOSTUNREACH' }, connect), options)).toBe(
      'jump host bastion (hop 1 of 3, ops@10.0.0.1:2201): 10.0.0.1:2201 cannot be reached (EHOSTUNREACH)',
    );
  });

  it('an error that is not from the route, or a route without jump hosts, is explained as before', () => {
    expect(describeEngineFailure(Object.assign(new Error('boom'), { statusCode: 500 }), behindTwo())).toBe(
      'answered 500: boom',
    );
    const direct = { ...behindTwo(), remote: { hostKeyCheck: {}, identities: [] } };
    expect(describeEngineFailure(failed({ code: 'ECONNREFUSED' }, { hop: 0, stage: 'connect' }), direct)).toBe(
      'connection refused (no engine listens there)',
    );
  });
});
