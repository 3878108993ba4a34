import Docker from 'dockerode';
import { dockerodeOptions } from './discover';
import { enginesToTry, lookedAt } from './engines-to-try';
import { describeEngineFailure } from './describe-failure';
import { StrataError } from '$shared/engine/errors';
import { withSignal } from './with-signal';

/**
 * For one-shot tools (the CLI): find the engine as the app does and return a client for the first one that
 * answers, or an engine-unreachable error that lists every place looked at.
 */
export async function connectOnce(options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<Docker> {
  const env = options.env ?? process.env;
  const looked: string[] = [];
  for await (const candidate of enginesToTry(env, looked)) {
    const dockerOptions = await dockerodeOptions(candidate, { env });
    const docker = new Docker(dockerOptions);
    try {
      await withSignal(docker).ping({
        abortSignal: options.signal ?? AbortSignal.timeout(5000),
      });
      return docker;
    } catch (err) {
      looked.push(lookedAt(candidate, describeEngineFailure(err, dockerOptions)));
    }
  }
  throw new StrataError('engine-unreachable', `No container engine answered. Looked at:\n  ${looked.join('\n  ')}`);
}
