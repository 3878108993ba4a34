import type { ProblemCase } from '../../unit/dockerfile/problem-cases';

/**
 * What Podman's builder (Buildah behind the Docker-compatible API, Podman 4.3.1) does with each Dockerfile of
 * the parser's problem table (tests/unit/dockerfile/problem-cases.ts), measured against the test engine's
 * Podman. Buildah names no line: its messages start `building at STEP "<instruction>": `, and `says` is the
 * part after that (and after Buildah's temporary paths). Buildah accepts flags Docker refuses on several
 * instructions (`EXPOSE --foo`, `ENV --foo`, ...), `EXPOSE abc` and stage names Docker refuses, and refuses
 * `--platform=amd64`, which Docker reads as an architecture.
 */
export const BUILDAH_OUTCOMES: Record<string, ProblemCase['engine']> = {
  'copy-one': { says: 'COPY requires at least one argument' },
  'add-one': { says: 'ADD requires at least one argument' },
  'copy-no-arguments': { says: 'COPY requires at least one argument' },
  'copy-json-one': { says: 'COPY requires at least one argument' },
  'onbuild-onbuild': { says: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed" },
  'onbuild-onbuild-lower-case': { says: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed" },
  'onbuild-from': { says: "FROM isn't allowed as an ONBUILD trigger" },
  'onbuild-maintainer': { says: "MAINTAINER isn't allowed as an ONBUILD trigger" },
  'onbuild-no-argument': { says: 'ONBUILD requires at least one argument' },
  'onbuild-trigger-not-checked': 'ok',
  'onbuild-flag': 'ok',
  'healthcheck-interval-abc': { says: 'time: invalid duration "abc"' },
  'healthcheck-timeout-no-unit': { says: 'time: missing unit in duration "10"' },
  'healthcheck-start-period-unit': { says: 'time: unknown unit "x" in duration "5x"' },
  'healthcheck-timeout-below-1ms': 'ok',
  'healthcheck-retries-abc': { says: 'strconv.ParseInt: parsing "abc": invalid syntax' },
  'healthcheck-retries-negative': { says: '--retries must be at least 1 (not -1)' },
  'healthcheck-unknown-flag': { says: 'flag provided but not defined: -foo' },
  'healthcheck-flag-without-value': { says: 'flag needs an argument: -interval' },
  'healthcheck-none-with-arguments': { says: 'HEALTHCHECK NONE takes no arguments' },
  'healthcheck-none-ignores-flags': 'ok',
  'healthcheck-unknown-type': { says: 'Unknown type "RUN" in HEALTHCHECK (try CMD)' },
  'healthcheck-cmd-without-command': { says: 'Missing command after HEALTHCHECK CMD' },
  'healthcheck-cmd-empty-json': { says: 'Missing command after HEALTHCHECK CMD' },
  'healthcheck-no-argument': { says: 'HEALTHCHECK requires at least one argument' },
  'healthcheck-valid': 'ok',
  'expose-abc': 'ok',
  'expose-no-argument': { says: 'EXPOSE requires at least one argument' },
  'expose-bad-range': 'ok',
  'expose-reversed-range': 'ok',
  'expose-out-of-range': 'ok',
  'expose-bad-protocol': 'ok',
  'expose-flag': 'ok',
  'expose-valid': 'ok',
  'expose-host-port': 'ok',
  'expose-quoted': 'ok',
  'expose-variable': 'ok',
  'run-unknown-flag': { says: 'RUN only supports the --mount flag' },
  'run-mount-unknown-type': { says: 'invalid mount type "foo"' },
  'run-mount-without-value': { says: 'RUN only supports the --mount flag' },
  'run-network-unknown': { says: 'RUN only supports the --mount flag' },
  'run-network-none': { says: 'RUN only supports the --mount flag' },
  'workdir-no-argument': { says: 'WORKDIR requires exactly one argument' },
  'workdir-flag': 'ok',
  'workdir-two-words': 'ok',
  'arg-blank-name': 'ok',
  'arg-dash-in-name': 'ok',
  'arg-quoted-name': 'ok',
  'arg-ignores-flags': 'ok',
  'maintainer-no-argument': { says: 'MAINTAINER requires exactly one argument' },
  'maintainer-flag': 'ok',
  'maintainer-two-words': 'ok',
  'stopsignal-unknown': { says: 'Invalid signal: NOTASIGNAL' },
  'stopsignal-zero': { says: 'Invalid signal: 0' },
  'stopsignal-two-words': { says: 'Invalid signal: a b' },
  'stopsignal-no-argument': { says: 'STOPSIGNAL requires exactly one argument' },
  'stopsignal-name': 'ok',
  'stopsignal-lower-case': 'ok',
  'stopsignal-without-sig': 'ok',
  'stopsignal-realtime': 'ok',
  'stopsignal-number': 'ok',
  'stopsignal-variable': 'ok',
  'stopsignal-ignores-flags': 'ok',
  'copy-chown-without-value': {
    says: 'COPY only supports the --chmod=<permissions> --chown=<uid:gid> and the --from=<image|stage> flags',
  },
  'copy-from-without-value': {
    says: 'COPY only supports the --chmod=<permissions> --chown=<uid:gid> and the --from=<image|stage> flags',
  },
  'copy-chown-empty-value': 'ok',
  'copy-unknown-flag': {
    says: 'COPY only supports the --chmod=<permissions> --chown=<uid:gid> and the --from=<image|stage> flags',
  },
  'copy-duplicate-flag': { says: 'COPY --from=a: no stage or image found with that name' },
  'copy-link-not-boolean': {
    says: 'COPY only supports the --chmod=<permissions> --chown=<uid:gid> and the --from=<image|stage> flags',
  },
  'copy-double-dash': 'ok',
  'add-from-flag': { says: 'ADD only supports the --chmod=<permissions> and the --chown=<uid:gid> flag' },
  'from-platform-unknown': {
    says: 'unable to parse platform "notaplatform": invalid platform syntax for "notaplatform" (use OS/ARCH[/VARIANT][,...])',
  },
  'from-platform-four-parts': {
    says: 'unable to parse platform "linux/amd64/v2/x": invalid platform syntax for "linux/amd64/v2/x" (use OS/ARCH[/VARIANT][,...])',
  },
  'from-platform-without-value': { says: 'FROM only supports the --platform flag' },
  'from-unknown-flag': { says: 'FROM only supports the --platform flag' },
  'from-platform-valid': 'ok',
  'from-platform-architecture': {
    says: 'unable to parse platform "amd64": invalid platform syntax for "amd64" (use OS/ARCH[/VARIANT][,...])',
  },
  'from-as-without-name': { says: 'FROM requires either one argument, or three: FROM <source> [as <name>]' },
  'from-bad-stage-name': 'ok',
  'env-without-value': { says: 'ENV must have two arguments' },
  'env-no-argument': { says: 'ENV requires at least one argument' },
  'env-blank-name': 'ok',
  'env-flag': 'ok',
  'env-valid': 'ok',
  'env-old-form': 'ok',
  'label-without-value': { says: 'LABEL must have two arguments' },
  'label-no-argument': { says: 'LABEL requires at least one argument' },
  'label-flag': 'ok',
  'shell-not-json': { says: 'SHELL requires the arguments to be in JSON form' },
  'shell-empty-json': { says: 'SHELL requires at least one argument' },
  'shell-no-argument': { says: 'SHELL requires at least one argument' },
  'shell-flag': 'ok',
  'user-no-argument': { says: 'USER requires exactly one argument' },
  'user-flag': 'ok',
  'user-two-words': 'ok',
  'volume-no-argument': { says: 'VOLUME requires at least one argument' },
  'volume-empty-string': { says: 'Volume specified can not be an empty string' },
  'volume-flag': 'ok',
  'volume-json': 'ok',
  'cmd-flag': 'ok',
  'entrypoint-flag': 'ok',
  'unknown-instruction': { says: 'Build error: Unknown instruction: "FOO"' },
  'empty-continuation-line': 'ok',
  'healthcheck-retries-zero': { says: '--retries must be at least 1 (not 0)' },
  'healthcheck-start-interval': { says: 'flag provided but not defined: -start-interval' },
  'copy-link': {
    says: 'COPY only supports the --chmod=<permissions> --chown=<uid:gid> and the --from=<image|stage> flags',
  },
  'copy-heredoc': { says: 'copier: stat: "/<<EOF": no such file or directory' },
};

/**
 * Cases never sent to Podman, with why. `ARG` with no name makes Podman 4.3's service panic (a nil pointer in
 * imagebuildah.warnOnUnsetBuildArgs, build.go:483): the service exits, and every test after it would find
 * no engine.
 */
export const NOT_SENT_TO_PODMAN: Record<string, string> = {
  'arg-no-argument':
    "Podman 4.3's service panics on `ARG` with no name (nil pointer in imagebuildah.warnOnUnsetBuildArgs) and exits",
};
