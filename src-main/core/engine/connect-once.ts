import { homedir } from 'node:os';
import Docker from 'dockerode';
import { discoverEngines, dockerodeOptions } from './discover';
import { describeEngineFailure } from './describe-failure';
import { StrataError } from '$shared/engine/errors';
import { withSignal } from './with-signal';

/**
 * For one-shot tools (the CLI): find the engine as the app does and return a client for the first one that
 * answers, or an engine-unreachable error that lists every place looked at.
 */
export async function connectOnce(options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<Docker> {
  const env = options.env ?? process.env;
  const candidates = await discoverEngines({ env, homeDir: homedir(), platform: process.platform });
  const looked: string[] = [];
  for (const candidate of candidates) {
    if (candidate.error || !candidate.present) {
      looked.push(`${candidate.address} (${candidate.source}): ${candidate.error ?? 'nothing there'}`);
      continue;
    }
    const dockerOptions = await dockerodeOptions(candidate, { env });
    const docker = new Docker(dockerOptions);
    try {
      await withSignal(docker).ping({
        abortSignal: options.signal ?? AbortSignal.timeout(5000),
      });
      return docker;
    } catch (err) {
      looked.push(`${candidate.address} (${candidate.source}): ${describeEngineFailure(err, dockerOptions)}`);
    }
  }
  throw new StrataError('engine-unreachable', `No container engine answered. Looked at:\n  ${looked.join('\n  ')}`);
}
