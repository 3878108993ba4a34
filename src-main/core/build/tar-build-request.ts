import type Docker from 'dockerode';

/**
 * POST /build with the context tar as its body, and no session. dockerode's buildImage opens a session of its
 * own for every BuildKit build (to offer registry credentials, always empty here); an engine that refuses
 * sessions would then refuse the tar too, though BuildKit builds a tar without any session (the registry is
 * then asked anonymously, as with dockerode's empty credentials). So BuildKit's tar goes this way.
 */
export function requestTarBuild(
  docker: Docker,
  tar: NodeJS.ReadableStream,
  query: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<NodeJS.ReadableStream> {
  const options: Record<string, unknown> = { ...query };
  delete options.abortSignal;
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/build?',
        method: 'POST',
        file: tar,
        options,
        ...(signal ? { abortSignal: signal } : {}),
        isStream: true,
        statusCodes: { 200: true, 500: 'server error' },
      },
      (err: Error | null, stream: unknown) => (err ? reject(err) : resolve(stream as NodeJS.ReadableStream)),
    );
  });
}
