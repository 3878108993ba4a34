import { describe, expect, it } from 'vitest';
import { splitCommandWords } from '$shared/containers/command-words';

describe('splitCommandWords', () => {
  it('splits on whitespace and honours quotes as a shell would', () => {
    expect(splitCommandWords(`sh -c 'echo "hi there"'`)).toEqual({ words: ['sh', '-c', 'echo "hi there"'] });
    expect(splitCommandWords(`echo "a \\"b\\" \\\\ $HOME"`)).toEqual({ words: ['echo', 'a "b" \\ $HOME'] });
    expect(splitCommandWords(`  cat   /my\\ file  `)).toEqual({ words: ['cat', '/my file'] });
    expect(splitCommandWords(`printf ''`)).toEqual({ words: ['printf', ''] });
    expect(splitCommandWords('')).toEqual({ words: [] });
  });

  it('takes a JSON array as the argv', () => {
    expect(splitCommandWords('["cat", "/my-file"]')).toEqual({ words: ['cat', '/my-file'] });
    expect(splitCommandWords('[ -f /x ]')).toEqual({ words: ['[', '-f', '/x', ']'] });
  });

  it('reports an unclosed quote', () => {
    expect(splitCommandWords(`echo 'oops`)).toEqual({ error: 'Unclosed single quote in the command.' });
    expect(splitCommandWords(`echo "oops`)).toEqual({ error: 'Unclosed double quote in the command.' });
  });
});
