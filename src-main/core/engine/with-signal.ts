import type Docker from 'dockerode';

/** dockerode accepts an abortSignal on ping and version; its type definitions do not say so. */
export function withSignal(docker: Docker) {
  return docker as unknown as {
    ping(options: { abortSignal: AbortSignal }): Promise<unknown>;
    version(options: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
  };
}
