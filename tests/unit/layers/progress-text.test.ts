import { describe, expect, it } from 'vitest';
import { analysisProgressText } from '../../../src-renderer/components/layers/progress-text';

describe('the words under a layer read', () => {
  it('an archive file on disk is opened, with no engine to wait for', () => {
    const text = analysisProgressText({ bytesRead: 0, totalBytes: 10_125, estimated: false }, 'file');
    expect(text).toBe('Opening the archive (10.1kB)…');
    expect(text).not.toContain('engine');
  });

  it('an image from the engine waits for the engine to lay out its archive', () => {
    expect(analysisProgressText({ bytesRead: 0, totalBytes: 5_000_000, estimated: true }, 'engine')).toBe(
      'Waiting for the engine to start sending the image (about 5MB)…',
    );
  });

  it('counts bytes once they flow, from either origin', () => {
    expect(analysisProgressText({ bytesRead: 1_500_000, totalBytes: 5_000_000, estimated: false }, 'file')).toBe(
      '1.5MB of 5MB',
    );
    expect(analysisProgressText(undefined, 'file')).toBe('Starting…');
  });
});
