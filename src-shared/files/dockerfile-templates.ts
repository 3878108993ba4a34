/**
 * Starting points for a new Dockerfile. Pure data (no Node), so the renderer imports it directly.
 * None uses a `# syntax=` directive: that makes BuildKit fetch a frontend image, and Strata works offline.
 */
export interface DockerfileTemplate {
  id: 'busybox' | 'scratch' | 'multi-stage';
  title: string;
  description: string;
  /** The Dockerfile, with `baseImage` as its busybox-like base (ignored by `scratch`). */
  render(options?: { baseImage?: string }): string;
}

/** The base image a template uses when the person has no better one locally. */
export const DEFAULT_TEMPLATE_BASE = 'busybox:latest';

export const dockerfileTemplates: readonly DockerfileTemplate[] = [
  {
    id: 'busybox',
    title: 'Small shell image',
    description: 'A busybox base, the context copied into /app, a shell as the command.',
    render: ({ baseImage = DEFAULT_TEMPLATE_BASE } = {}) =>
      [
        `FROM ${baseImage}`,
        'WORKDIR /app',
        'COPY . .',
        'RUN echo "built on $(date)" > /app/BUILD_INFO',
        'CMD ["sh"]',
        '',
      ].join('\n'),
  },
  {
    id: 'scratch',
    title: 'From scratch',
    description: 'An empty base: only what you copy in. For a static binary.',
    render: () =>
      [
        'FROM scratch',
        '# A statically linked program from the build context.',
        'COPY app /app',
        'ENTRYPOINT ["/app"]',
        '',
      ].join('\n'),
  },
  {
    id: 'multi-stage',
    title: 'Multi-stage',
    description: 'A build stage that prepares files, and a final stage that copies only its result.',
    render: ({ baseImage = DEFAULT_TEMPLATE_BASE } = {}) =>
      [
        `ARG BASE=${baseImage}`,
        '',
        'FROM ${BASE} AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN mkdir -p /out && cp -r /src/. /out/',
        '',
        'FROM ${BASE}',
        'COPY --from=build /out /app',
        'WORKDIR /app',
        'CMD ["sh"]',
        '',
      ].join('\n'),
  },
];

/** One template by id. */
export function dockerfileTemplate(id: string): DockerfileTemplate | undefined {
  return dockerfileTemplates.find((t) => t.id === id);
}

/**
 * The local image a busybox template should start from: a repository named busybox (any namespace),
 * `latest` first; the default when none is there.
 */
export function templateBaseImage(localReferences: readonly string[]): string {
  const busybox = localReferences.filter((ref) => /(^|\/)busybox:[^/]+$/.test(ref));
  return busybox.find((ref) => ref.endsWith(':latest')) ?? busybox[0] ?? DEFAULT_TEMPLATE_BASE;
}
