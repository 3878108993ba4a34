import { describe, expect, it } from 'vitest';
import { loadSummary } from '$shared/images/load-summary';

const id = (digit: string) => `sha256:${digit.repeat(64)}`;

describe('what a finished load says it brought', () => {
  it('names one tagged image by its tag', () => {
    expect(loadSummary([{ imageId: id('a'), reference: 'busybox:latest' }])).toBe('Loaded busybox:latest.');
  });

  it('names an untagged image by its short ID, and says it has no tag', () => {
    expect(loadSummary([{ imageId: id('b') }])).toBe('Loaded bbbbbbbbbbbb (untagged).');
  });

  it('lists tags and IDs together, in the order they arrived', () => {
    expect(
      loadSummary([
        { imageId: id('a'), reference: 'app:1' },
        { imageId: id('c') },
        { imageId: id('a'), reference: 'app:latest' },
      ]),
    ).toBe('Loaded app:1, cccccccccccc (untagged) and app:latest.');
  });

  it('counts the rest past four names, so the line stays a line', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({ imageId: id(String(i)), reference: `r/${i}:t` }));
    expect(loadSummary(many)).toBe('Loaded r/0:t, r/1:t, r/2:t, r/3:t and 3 more images.');
    expect(loadSummary(many.slice(0, 5))).toBe('Loaded r/0:t, r/1:t, r/2:t, r/3:t and r/4:t.');
  });

  it('says so when the archive held nothing', () => {
    expect(loadSummary([])).toBe('The archive held no images: nothing was loaded.');
  });
});
