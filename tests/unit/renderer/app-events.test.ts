import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipc } from './ipc-double';
import { listenToAppEvents } from '../../../src-renderer/lib/app-events';
import { noticeUi } from '../../../src-renderer/lib/notice.svelte';

// The page's side of a path main could not open: the refusal main pushes is shown on the notice line as an
// error (it stays until dismissed), in main's own words, which name the path and what to do.
let stop: () => void = () => undefined;

beforeEach(() => {
  ipc.reset();
  noticeUi.current = null;
  stop = listenToAppEvents();
});
afterEach(() => stop());

describe('a path given to the app that cannot be opened', () => {
  it('is said on the notice line, as an error that stays', () => {
    const message =
      'Strata could not open /home/me/image.tar: it does not exist. Check the path (a relative one is read from the folder the command ran in), then open it again.';
    ipc.push('app.open-refused', { path: '/home/me/image.tar', message });
    expect(noticeUi.current).toEqual({ text: message, error: true });
  });

  it('is no longer heard once the page stops listening', () => {
    stop();
    ipc.push('app.open-refused', { path: '/x', message: 'Strata could not open /x: it does not exist.' });
    expect(noticeUi.current).toBeNull();
  });
});
