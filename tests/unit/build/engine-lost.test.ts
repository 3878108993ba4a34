import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../../../src-main/core/build/build-events';
import { engineLostMessage, isEngineLost } from '../../../src-main/core/build/engine-lost';

const step = (index: number, name: string): BuildEvent => ({
  type: 'step-start',
  at: index,
  step: { id: `step-${index}`, name, index, total: 6, kind: 'instruction' },
});

describe('engine lost mid-build', () => {
  it('recognises a socket the engine dropped, not an answer the engine gave', () => {
    expect(isEngineLost(new Error('aborted'))).toBe(true);
    expect(isEngineLost(new Error('socket hang up'))).toBe(true);
    expect(isEngineLost(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isEngineLost(Object.assign(new Error('connect ENOENT /x.sock'), { code: 'ENOENT' }))).toBe(true);
    expect(isEngineLost(Object.assign(new Error('(HTTP code 500) server error'), { statusCode: 500 }))).toBe(false);
    expect(isEngineLost(new Error('dockerfile parse error line 2'))).toBe(false);
    expect(isEngineLost(undefined)).toBe(false);
  });

  it('says at which step, that nothing was tagged, and that Strata reconnects', () => {
    const events = [step(3, 'COPY . .'), step(4, 'RUN make')];
    expect(engineLostMessage(events, { leftoverContainers: 0 })).toBe(
      'The engine stopped answering during step 4/6 (RUN make); nothing was tagged; Strata will reconnect by itself.',
    );
    expect(engineLostMessage(events, { leftoverContainers: 1 })).toBe(
      "The engine stopped answering during step 4/6 (RUN make); nothing was tagged; Strata will reconnect by itself; the step's container will be removed once the engine is back.",
    );
  });

  it('names the containers and the command to remove them when they could not be noted for removal', () => {
    const events = [step(4, 'RUN make')];
    expect(
      engineLostMessage(events, {
        leftoverContainers: 2,
        notNoted: { containerIds: ['0123456789ab', 'ba9876543210'], reason: 'ENOSPC: no space left on device' },
      }),
    ).toBe(
      "The engine stopped answering during step 4/6 (RUN make); nothing was tagged; Strata will reconnect by itself; Strata could not note the step's containers for removal (ENOSPC: no space left on device): once the engine is back, remove them with docker rm -f 0123456789ab ba9876543210.",
    );
  });

  it('says so when no step had started', () => {
    const sending: BuildEvent = { type: 'upload', at: 0, sentBytes: 10, totalBytes: 100, done: false };
    expect(engineLostMessage([sending], { leftoverContainers: 0 })).toMatch(
      /^The engine stopped answering while the build context was being sent;/,
    );
    const sent: BuildEvent = { ...sending, sentBytes: 100, done: true };
    expect(engineLostMessage([sent], { leftoverContainers: 0 })).toMatch(
      /^The engine stopped answering before the first step;/,
    );
  });
});
