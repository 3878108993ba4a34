import { describe, expect, it } from 'vitest';
import { cleanInstruction, mayCreateLayer } from '$shared/images/history-instruction';

describe('cleanInstruction', () => {
  const cases: Array<[string, string, string | undefined, string[]]> = [
    // classic builder, as recorded by dockerd 20.10
    ['/bin/sh -c #(nop)  CMD ["sh" "-c" "echo hi"]', 'CMD ["sh" "-c" "echo hi"]', 'CMD', []],
    ['/bin/sh -c #(nop)  ENV X=y', 'ENV X=y', 'ENV', []],
    ['/bin/sh -c #(nop) WORKDIR /app', 'WORKDIR /app', 'WORKDIR', []],
    ['/bin/sh -c #(nop) COPY file:20a1b61cf5e3e4ef in /f5k ', 'COPY file:20a1b61cf5e3e4ef in /f5k', 'COPY', []],
    ['|1 A=1 /bin/sh -c echo $A > /a', 'RUN echo $A > /a', 'RUN', ['A=1']],
    ['|2 A=1 B=two /bin/sh -c make', 'RUN make', 'RUN', ['A=1', 'B=two']],
    ['/bin/sh -c apk add --no-cache curl', 'RUN apk add --no-cache curl', 'RUN', []],
    ['/bin/sh -c\tmake\tall', 'RUN make all', 'RUN', []],
    // BuildKit
    ['RUN /bin/sh -c apk add curl # buildkit', 'RUN apk add curl', 'RUN', []],
    ['RUN |1 VERSION=2 /bin/sh -c make # buildkit', 'RUN make', 'RUN', ['VERSION=2']],
    ['COPY . /src # buildkit', 'COPY . /src', 'COPY', []],
    ['WORKDIR /app', 'WORKDIR /app', undefined, []],
    ['CMD ["sh"]', 'CMD ["sh"]', undefined, []],
    // Windows classic builder
    ['cmd /S /C #(nop)  CMD ["cmd"]', 'CMD ["cmd"]', 'CMD', []],
    // docker commit and docker import
    ['sh -c echo hello > /hello', 'sh -c echo hello > /hello', undefined, []],
    ['', '', undefined, []],
  ];
  it.each(cases)('%s → %s', (createdBy, text, keyword, buildArgs) => {
    const cleaned = cleanInstruction(createdBy);
    expect(cleaned.text).toBe(text);
    if (keyword !== undefined) expect(cleaned.keyword).toBe(keyword);
    expect(cleaned.buildArgs).toEqual(buildArgs);
  });

  it('reads BuildKit metadata keywords', () => {
    expect(cleanInstruction('ENV PATH=/bin # buildkit').keyword).toBe('ENV');
    expect(mayCreateLayer(cleanInstruction('ENV PATH=/bin # buildkit'))).toBe(false);
  });

  it('knows which instructions can make layers', () => {
    expect(mayCreateLayer(cleanInstruction('/bin/sh -c #(nop)  LABEL l=v'))).toBe(false);
    expect(mayCreateLayer(cleanInstruction('/bin/sh -c #(nop)  ARG A=1'))).toBe(false);
    expect(mayCreateLayer(cleanInstruction('/bin/sh -c #(nop) WORKDIR /app'))).toBe(true);
    expect(mayCreateLayer(cleanInstruction('/bin/sh -c #(nop) COPY file:x in /e '))).toBe(true);
    expect(mayCreateLayer(cleanInstruction('|1 A=1 /bin/sh -c true'))).toBe(true);
    expect(mayCreateLayer(cleanInstruction('sh -c echo hi'))).toBe(true); // a commit
    expect(mayCreateLayer(cleanInstruction(''))).toBe(true); // an import
  });
});
