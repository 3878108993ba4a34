import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebContents } from 'electron';
import { guardUnload, leaveQuestion } from '../../../src-main/electron/unload-guard';

function refusal() {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

describe('unload guard', () => {
  it('asks before a close the page refused, and lets it go only when the person chooses to leave', () => {
    const contents = new EventEmitter();
    const answers = [1, 0];
    const asked: unknown[] = [];
    guardUnload(contents as unknown as WebContents, (question) => {
      asked.push(question);
      return answers.shift()!;
    });

    const stay = refusal();
    contents.emit('will-prevent-unload', stay);
    expect(stay.prevented).toBe(false);

    const leave = refusal();
    contents.emit('will-prevent-unload', leave);
    expect(leave.prevented).toBe(true);
    expect(asked).toEqual([leaveQuestion, leaveQuestion]);
    expect(leaveQuestion.buttons?.[leaveQuestion.cancelId!]).toBe('Stay');
  });
});
