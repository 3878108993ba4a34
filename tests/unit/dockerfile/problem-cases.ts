/**
 * Dockerfiles both builders reject (or accept) before running a step, each with what Strata's parser
 * reports and what the test engine's builders (classic and BuildKit, docker 20.10) say. The parser uses
 * current BuildKit's wording; the engine's older release words some messages differently (capitals,
 * flag names without `--`), so `engine.says` keeps its exact text.
 */
export interface ProblemCase {
  name: string;
  dockerfile: string;
  /** The one problem the parser reports (1-based line, BuildKit's message), or null when none. */
  problem: { line: number; message: string } | null;
  /**
   * What both engine builders do: 'ok' (build succeeds), or fail saying `says`, at `line` when the
   * engine names one (checks made while dispatching, such as EXPOSE and STOPSIGNAL, carry no line).
   */
  engine: 'ok' | { says: string; line?: number };
  /** Accepted by current BuildKit, refused by the test engine's older release (a flag it predates). */
  newer?: true;
}

export const PROBLEM_CASES: ProblemCase[] = [
  {
    name: 'copy-one',
    dockerfile: 'FROM strata-test/busybox\nCOPY onlyone\n',
    problem: {
      line: 2,
      message: 'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
    },
    engine: {
      says: 'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
      line: 2,
    },
  },
  {
    name: 'add-one',
    dockerfile: 'FROM strata-test/busybox\nADD onlyone\n',
    problem: {
      line: 2,
      message: 'ADD requires at least two arguments, but only one was provided. Destination could not be determined',
    },
    engine: {
      says: 'ADD requires at least two arguments, but only one was provided. Destination could not be determined',
      line: 2,
    },
  },
  {
    name: 'copy-no-arguments',
    dockerfile: 'FROM strata-test/busybox\nCOPY\n',
    problem: {
      line: 2,
      message: 'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
    },
    engine: {
      says: 'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
      line: 2,
    },
  },
  {
    name: 'copy-json-one',
    dockerfile: 'FROM strata-test/busybox\nCOPY ["a"]\n',
    problem: {
      line: 2,
      message: 'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
    },
    engine: {
      says: 'COPY requires at least two arguments, but only one was provided. Destination could not be determined',
      line: 2,
    },
  },
  {
    name: 'onbuild-onbuild',
    dockerfile: 'FROM strata-test/busybox\nONBUILD ONBUILD RUN true\n',
    problem: { line: 2, message: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed" },
    engine: { says: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", line: 2 },
  },
  {
    name: 'onbuild-onbuild-lower-case',
    dockerfile: 'FROM strata-test/busybox\nonbuild onbuild run true\n',
    problem: { line: 2, message: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed" },
    engine: { says: "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", line: 2 },
  },
  {
    name: 'onbuild-from',
    dockerfile: 'FROM strata-test/busybox\nONBUILD FROM busybox\n',
    problem: { line: 2, message: "FROM isn't allowed as an ONBUILD trigger" },
    engine: { says: "FROM isn't allowed as an ONBUILD trigger", line: 2 },
  },
  {
    name: 'onbuild-maintainer',
    dockerfile: 'FROM strata-test/busybox\nONBUILD MAINTAINER me\n',
    problem: { line: 2, message: "MAINTAINER isn't allowed as an ONBUILD trigger" },
    engine: { says: "MAINTAINER isn't allowed as an ONBUILD trigger", line: 2 },
  },
  {
    name: 'onbuild-no-argument',
    dockerfile: 'FROM strata-test/busybox\nONBUILD\n',
    problem: { line: 2, message: 'ONBUILD requires at least one argument' },
    engine: { says: 'ONBUILD requires at least one argument', line: 2 },
  },
  {
    name: 'onbuild-trigger-not-checked',
    dockerfile: 'FROM strata-test/busybox\nONBUILD COPY onlyone\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'onbuild-flag',
    dockerfile: 'FROM strata-test/busybox\nONBUILD --foo=1 RUN true\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'healthcheck-interval-abc',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --interval=abc CMD true\n',
    problem: { line: 2, message: 'time: invalid duration "abc"' },
    engine: { says: 'time: invalid duration "abc"', line: 2 },
  },
  {
    name: 'healthcheck-timeout-no-unit',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --timeout=10 CMD true\n',
    problem: { line: 2, message: 'time: missing unit in duration "10"' },
    engine: { says: 'time: missing unit in duration "10"', line: 2 },
  },
  {
    name: 'healthcheck-start-period-unit',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --start-period=5x CMD true\n',
    problem: { line: 2, message: 'time: unknown unit "x" in duration "5x"' },
    engine: { says: 'time: unknown unit "x" in duration "5x"', line: 2 },
  },
  {
    name: 'healthcheck-timeout-below-1ms',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --timeout=1ns CMD true\n',
    problem: { line: 2, message: 'Interval "timeout" cannot be less than 1ms' },
    engine: { says: 'Interval "timeout" cannot be less than 1ms', line: 2 },
  },
  {
    name: 'healthcheck-retries-abc',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --retries=abc CMD true\n',
    problem: { line: 2, message: 'strconv.ParseInt: parsing "abc": invalid syntax' },
    engine: { says: 'strconv.ParseInt: parsing "abc": invalid syntax', line: 2 },
  },
  {
    name: 'healthcheck-retries-negative',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --retries=-1 CMD true\n',
    problem: { line: 2, message: '--retries cannot be negative (-1)' },
    engine: { says: '--retries must be at least 1 (not -1)', line: 2 },
  },
  {
    name: 'healthcheck-unknown-flag',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --foo=1 CMD true\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'healthcheck-flag-without-value',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --interval CMD true\n',
    problem: { line: 2, message: 'missing a value on flag: --interval' },
    engine: { says: 'Missing a value on flag: interval', line: 2 },
  },
  {
    name: 'healthcheck-none-with-arguments',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK NONE x\n',
    problem: { line: 2, message: 'HEALTHCHECK NONE takes no arguments' },
    engine: { says: 'HEALTHCHECK NONE takes no arguments', line: 2 },
  },
  {
    name: 'healthcheck-none-ignores-flags',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --foo NONE\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'healthcheck-unknown-type',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK RUN true\n',
    problem: { line: 2, message: 'Unknown type "RUN" in HEALTHCHECK (try CMD)' },
    engine: { says: 'Unknown type "RUN" in HEALTHCHECK (try CMD)', line: 2 },
  },
  {
    name: 'healthcheck-cmd-without-command',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK CMD\n',
    problem: { line: 2, message: 'Missing command after HEALTHCHECK CMD' },
    engine: { says: 'Missing command after HEALTHCHECK CMD', line: 2 },
  },
  {
    name: 'healthcheck-cmd-empty-json',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK CMD []\n',
    problem: { line: 2, message: 'Missing command after HEALTHCHECK CMD' },
    engine: { says: 'Missing command after HEALTHCHECK CMD', line: 2 },
  },
  {
    name: 'healthcheck-no-argument',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK\n',
    problem: { line: 2, message: 'HEALTHCHECK requires at least one argument' },
    engine: { says: 'HEALTHCHECK requires at least one argument', line: 2 },
  },
  {
    name: 'healthcheck-valid',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --interval=30s --timeout=1m30s --retries=3 CMD true\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'expose-abc',
    dockerfile: 'FROM strata-test/busybox\nEXPOSE abc\n',
    problem: { line: 2, message: 'invalid containerPort: abc' },
    engine: { says: 'Invalid containerPort: abc' },
  },
  {
    name: 'expose-no-argument',
    dockerfile: 'FROM strata-test/busybox\nEXPOSE\n',
    problem: { line: 2, message: 'EXPOSE requires at least one argument' },
    engine: { says: 'EXPOSE requires at least one argument', line: 2 },
  },
  {
    name: 'expose-bad-range',
    dockerfile: 'FROM strata-test/busybox\nEXPOSE 80-abc\n',
    problem: { line: 2, message: 'invalid containerPort: 80-abc' },
    engine: { says: 'Invalid containerPort: 80-abc' },
  },
  {
    name: 'expose-reversed-range',
    dockerfile: 'FROM strata-test/busybox\nEXPOSE 90-80\n',
    problem: { line: 2, message: 'invalid containerPort: 90-80' },
    engine: { says: 'Invalid containerPort: 90-80' },
  },
  {
    name: 'expose-out-of-range',
    dockerfile: 'FROM strata-test/busybox\nEXPOSE 70000\n',
    problem: { line: 2, message: 'invalid containerPort: 70000' },
    engine: { says: 'Invalid containerPort: 70000' },
  },
  {
    name: 'expose-bad-protocol',
    dockerfile: 'FROM strata-test/busybox\nEXPOSE 80/xyz\n',
    problem: { line: 2, message: 'invalid port: "80/xyz": invalid proto: xyz' },
    engine: { says: 'Invalid proto: xyz' },
  },
  {
    name: 'expose-flag',
    dockerfile: 'FROM strata-test/busybox\nEXPOSE --foo=1 80\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'expose-valid',
    dockerfile: 'FROM strata-test/busybox\nEXPOSE 80/tcp 443 1000-1001/udp\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'expose-host-port',
    dockerfile: 'FROM strata-test/busybox\nEXPOSE 8080:80\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'expose-quoted',
    dockerfile: 'FROM strata-test/busybox\nEXPOSE "80"\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'expose-variable',
    dockerfile: 'FROM strata-test/busybox\nARG P=80\nEXPOSE $P\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'run-unknown-flag',
    dockerfile: 'FROM strata-test/busybox\nRUN --foo=bar true\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'run-mount-unknown-type',
    dockerfile: 'FROM strata-test/busybox\nRUN --mount=type=foo true\n',
    problem: { line: 2, message: 'unsupported mount type "foo"' },
    engine: { says: 'unsupported mount type "foo"', line: 2 },
  },
  {
    name: 'run-mount-without-value',
    dockerfile: 'FROM strata-test/busybox\nRUN --mount true\n',
    problem: { line: 2, message: 'missing a value on flag: --mount' },
    engine: { says: 'Missing a value on flag: mount', line: 2 },
  },
  {
    name: 'run-network-unknown',
    dockerfile: 'FROM strata-test/busybox\nRUN --network=foo true\n',
    problem: { line: 2, message: 'invalid network mode "foo"' },
    engine: { says: 'Unknown flag: network', line: 2 },
  },
  {
    name: 'run-network-none',
    dockerfile: 'FROM strata-test/busybox\nRUN --network=none true\n',
    problem: null,
    engine: { says: 'Unknown flag: network', line: 2 },
    newer: true,
  },
  {
    name: 'workdir-no-argument',
    dockerfile: 'FROM strata-test/busybox\nWORKDIR\n',
    problem: { line: 2, message: 'WORKDIR requires exactly one argument' },
    engine: { says: 'WORKDIR requires exactly one argument', line: 2 },
  },
  {
    name: 'workdir-flag',
    dockerfile: 'FROM strata-test/busybox\nWORKDIR --foo=1 /x\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'workdir-two-words',
    dockerfile: 'FROM strata-test/busybox\nWORKDIR a b\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'arg-no-argument',
    dockerfile: 'FROM strata-test/busybox\nARG\n',
    problem: { line: 2, message: 'ARG requires at least one argument' },
    engine: { says: 'ARG requires at least one argument', line: 2 },
  },
  {
    name: 'arg-blank-name',
    dockerfile: 'FROM strata-test/busybox\nARG =x\n',
    problem: { line: 2, message: 'ARG names can not be blank' },
    engine: { says: 'ARG names can not be blank', line: 2 },
  },
  {
    name: 'arg-dash-in-name',
    dockerfile: 'FROM strata-test/busybox\nARG a-b=1\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'arg-quoted-name',
    dockerfile: 'FROM strata-test/busybox\nARG "a b"=1\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'arg-ignores-flags',
    dockerfile: 'FROM strata-test/busybox\nARG --foo=1 X\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'maintainer-no-argument',
    dockerfile: 'FROM strata-test/busybox\nMAINTAINER\n',
    problem: { line: 2, message: 'MAINTAINER requires exactly one argument' },
    engine: { says: 'MAINTAINER requires exactly one argument', line: 2 },
  },
  {
    name: 'maintainer-flag',
    dockerfile: 'FROM strata-test/busybox\nMAINTAINER --foo=1 me\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'maintainer-two-words',
    dockerfile: 'FROM strata-test/busybox\nMAINTAINER a b\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'stopsignal-unknown',
    dockerfile: 'FROM strata-test/busybox\nSTOPSIGNAL NOTASIGNAL\n',
    problem: { line: 2, message: 'invalid signal: NOTASIGNAL' },
    engine: { says: 'Invalid signal: NOTASIGNAL' },
  },
  {
    name: 'stopsignal-zero',
    dockerfile: 'FROM strata-test/busybox\nSTOPSIGNAL 0\n',
    problem: { line: 2, message: 'invalid signal: 0' },
    engine: { says: 'Invalid signal: 0' },
  },
  {
    name: 'stopsignal-two-words',
    dockerfile: 'FROM strata-test/busybox\nSTOPSIGNAL a b\n',
    problem: { line: 2, message: 'invalid signal: a b' },
    engine: { says: 'Invalid signal: a b' },
  },
  {
    name: 'stopsignal-no-argument',
    dockerfile: 'FROM strata-test/busybox\nSTOPSIGNAL\n',
    problem: { line: 2, message: 'STOPSIGNAL requires exactly one argument' },
    engine: { says: 'STOPSIGNAL requires exactly one argument', line: 2 },
  },
  {
    name: 'stopsignal-name',
    dockerfile: 'FROM strata-test/busybox\nSTOPSIGNAL SIGTERM\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'stopsignal-lower-case',
    dockerfile: 'FROM strata-test/busybox\nSTOPSIGNAL sigkill\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'stopsignal-without-sig',
    dockerfile: 'FROM strata-test/busybox\nSTOPSIGNAL KILL\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'stopsignal-realtime',
    dockerfile: 'FROM strata-test/busybox\nSTOPSIGNAL SIGRTMIN+3\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'stopsignal-number',
    dockerfile: 'FROM strata-test/busybox\nSTOPSIGNAL 9\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'stopsignal-variable',
    dockerfile: 'FROM strata-test/busybox\nARG S=SIGINT\nSTOPSIGNAL $S\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'stopsignal-ignores-flags',
    dockerfile: 'FROM strata-test/busybox\nSTOPSIGNAL --foo SIGTERM\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'copy-chown-without-value',
    dockerfile: 'FROM strata-test/busybox\nCOPY --chown a b\n',
    problem: { line: 2, message: 'missing a value on flag: --chown' },
    engine: { says: 'Missing a value on flag: chown', line: 2 },
  },
  {
    name: 'copy-from-without-value',
    dockerfile: 'FROM strata-test/busybox\nCOPY --from Dockerfile /x\n',
    problem: { line: 2, message: 'missing a value on flag: --from' },
    engine: { says: 'Missing a value on flag: from', line: 2 },
  },
  {
    name: 'copy-chown-empty-value',
    dockerfile: 'FROM strata-test/busybox\nCOPY --chown= Dockerfile /x\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'copy-unknown-flag',
    dockerfile: 'FROM strata-test/busybox\nCOPY --foo=1 Dockerfile /x\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'copy-duplicate-flag',
    dockerfile: 'FROM strata-test/busybox\nCOPY --from=a --from=b Dockerfile /x\n',
    problem: { line: 2, message: 'duplicate flag specified: --from' },
    engine: { says: 'Duplicate flag specified: from', line: 2 },
  },
  {
    name: 'copy-link-not-boolean',
    dockerfile: 'FROM strata-test/busybox\nCOPY --link=maybe Dockerfile /x\n',
    problem: { line: 2, message: 'expecting boolean value for flag --link, not: maybe' },
    engine: { says: 'Unknown flag: link', line: 2 },
  },
  {
    name: 'copy-double-dash',
    dockerfile: 'FROM strata-test/busybox\nCOPY -- Dockerfile /x\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'add-from-flag',
    dockerfile: 'FROM strata-test/busybox\nADD --from=a Dockerfile /x\n',
    problem: { line: 2, message: 'unknown flag: --from' },
    engine: { says: 'Unknown flag: from', line: 2 },
  },
  {
    name: 'from-platform-unknown',
    dockerfile: 'FROM --platform=notaplatform strata-test/busybox\n',
    problem: {
      line: 1,
      message:
        'failed to parse platform notaplatform: "notaplatform": unknown operating system or architecture: invalid argument',
    },
    engine: {
      says: 'failed to parse platform notaplatform: "notaplatform": unknown operating system or architecture: invalid argument',
    },
  },
  {
    name: 'from-platform-four-parts',
    dockerfile: 'FROM --platform=linux/amd64/v2/x strata-test/busybox\n',
    problem: {
      line: 1,
      message:
        'failed to parse platform linux/amd64/v2/x: "linux/amd64/v2/x": cannot parse platform specifier: invalid argument',
    },
    engine: {
      says: 'failed to parse platform linux/amd64/v2/x: "linux/amd64/v2/x": cannot parse platform specifier: invalid argument',
    },
  },
  {
    name: 'from-platform-without-value',
    dockerfile: 'FROM --platform strata-test/busybox\n',
    problem: { line: 1, message: 'missing a value on flag: --platform' },
    engine: { says: 'Missing a value on flag: platform', line: 1 },
  },
  {
    name: 'from-unknown-flag',
    dockerfile: 'FROM --foo=1 strata-test/busybox\n',
    problem: { line: 1, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 1 },
  },
  {
    name: 'from-platform-valid',
    dockerfile: 'FROM --platform=linux/amd64 strata-test/busybox\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'from-platform-architecture',
    dockerfile: 'FROM --platform=amd64 strata-test/busybox\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'from-as-without-name',
    dockerfile: 'FROM strata-test/busybox AS\n',
    problem: { line: 1, message: 'FROM requires either one or three arguments' },
    engine: { says: 'FROM requires either one or three arguments', line: 1 },
  },
  {
    name: 'from-bad-stage-name',
    dockerfile: 'FROM strata-test/busybox AS 1abc\n',
    problem: {
      line: 1,
      message: 'invalid name for build stage: "1abc", name can\'t start with a number or contain symbols',
    },
    engine: {
      says: 'invalid name for build stage: "1abc", name can\'t start with a number or contain symbols',
      line: 1,
    },
  },
  {
    name: 'env-without-value',
    dockerfile: 'FROM strata-test/busybox\nENV foo\n',
    problem: { line: 2, message: 'ENV must have two arguments' },
    engine: { says: 'ENV must have two arguments' },
  },
  {
    name: 'env-no-argument',
    dockerfile: 'FROM strata-test/busybox\nENV\n',
    problem: { line: 2, message: 'ENV requires at least one argument' },
    engine: { says: 'ENV requires at least one argument', line: 2 },
  },
  {
    name: 'env-blank-name',
    dockerfile: 'FROM strata-test/busybox\nENV =x\n',
    problem: { line: 2, message: 'ENV names can not be blank' },
    engine: { says: 'ENV names can not be blank', line: 2 },
  },
  {
    name: 'env-flag',
    dockerfile: 'FROM strata-test/busybox\nENV --foo=1 a=b\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'env-valid',
    dockerfile: 'FROM strata-test/busybox\nENV a=1 b="2 3"\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'env-old-form',
    dockerfile: 'FROM strata-test/busybox\nENV a 1 2\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'label-without-value',
    dockerfile: 'FROM strata-test/busybox\nLABEL foo\n',
    problem: { line: 2, message: 'LABEL must have two arguments' },
    engine: { says: 'LABEL must have two arguments' },
  },
  {
    name: 'label-no-argument',
    dockerfile: 'FROM strata-test/busybox\nLABEL\n',
    problem: { line: 2, message: 'LABEL requires at least one argument' },
    engine: { says: 'LABEL requires at least one argument', line: 2 },
  },
  {
    name: 'label-flag',
    dockerfile: 'FROM strata-test/busybox\nLABEL --foo=1 a=b\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'shell-not-json',
    dockerfile: 'FROM strata-test/busybox\nSHELL /bin/sh -c\n',
    problem: { line: 2, message: 'SHELL requires the arguments to be in JSON form' },
    engine: { says: 'SHELL requires the arguments to be in JSON form', line: 2 },
  },
  {
    name: 'shell-empty-json',
    dockerfile: 'FROM strata-test/busybox\nSHELL []\n',
    problem: { line: 2, message: 'SHELL requires at least one argument' },
    engine: { says: 'SHELL requires at least one argument', line: 2 },
  },
  {
    name: 'shell-no-argument',
    dockerfile: 'FROM strata-test/busybox\nSHELL\n',
    problem: { line: 2, message: 'SHELL requires at least one argument' },
    engine: { says: 'SHELL requires at least one argument', line: 2 },
  },
  {
    name: 'shell-flag',
    dockerfile: 'FROM strata-test/busybox\nSHELL --foo=1 ["sh"]\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'user-no-argument',
    dockerfile: 'FROM strata-test/busybox\nUSER\n',
    problem: { line: 2, message: 'USER requires exactly one argument' },
    engine: { says: 'USER requires exactly one argument', line: 2 },
  },
  {
    name: 'user-flag',
    dockerfile: 'FROM strata-test/busybox\nUSER --foo=1 x\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'user-two-words',
    dockerfile: 'FROM strata-test/busybox\nUSER a b\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'volume-no-argument',
    dockerfile: 'FROM strata-test/busybox\nVOLUME\n',
    problem: { line: 2, message: 'VOLUME requires at least one argument' },
    engine: { says: 'VOLUME requires at least one argument', line: 2 },
  },
  {
    name: 'volume-empty-string',
    dockerfile: 'FROM strata-test/busybox\nVOLUME [""]\n',
    problem: { line: 2, message: 'VOLUME specified can not be an empty string' },
    engine: { says: 'VOLUME specified can not be an empty string', line: 2 },
  },
  {
    name: 'volume-flag',
    dockerfile: 'FROM strata-test/busybox\nVOLUME --foo=1 /v\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'volume-json',
    dockerfile: 'FROM strata-test/busybox\nVOLUME ["/a", "/b"]\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'cmd-flag',
    dockerfile: 'FROM strata-test/busybox\nCMD --foo=1 true\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'entrypoint-flag',
    dockerfile: 'FROM strata-test/busybox\nENTRYPOINT --foo=1 true\n',
    problem: { line: 2, message: 'unknown flag: --foo' },
    engine: { says: 'Unknown flag: foo', line: 2 },
  },
  {
    name: 'unknown-instruction',
    dockerfile: 'FROM strata-test/busybox\nFOO bar\n',
    problem: { line: 2, message: 'unknown instruction: FOO' },
    engine: { says: 'unknown instruction: FOO', line: 2 },
  },
  {
    name: 'empty-continuation-line',
    dockerfile: 'FROM strata-test/busybox\nCOPY Dockerfile \\\n\n /x\n',
    problem: null,
    engine: 'ok',
  },
  {
    name: 'healthcheck-retries-zero',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --retries=0 CMD true\n',
    problem: null,
    engine: { says: '--retries must be at least 1 (not 0)', line: 2 },
    newer: true,
  },
  {
    name: 'healthcheck-start-interval',
    dockerfile: 'FROM strata-test/busybox\nHEALTHCHECK --start-interval=1s CMD true\n',
    problem: null,
    engine: { says: 'Unknown flag: start-interval', line: 2 },
    newer: true,
  },
  {
    name: 'copy-link',
    dockerfile: 'FROM strata-test/busybox\nCOPY --link Dockerfile /x\n',
    problem: null,
    engine: { says: 'Unknown flag: link', line: 2 },
    newer: true,
  },
  {
    name: 'copy-heredoc',
    dockerfile: 'FROM strata-test/busybox\nCOPY <<EOF /x\nhello\nEOF\n',
    problem: null,
    engine: { says: 'unknown instruction: HELLO', line: 3 },
    newer: true,
  },
];
