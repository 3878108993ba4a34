import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// A real child process: an uncaught error must not end it, which only a separate process can show.
function runFixture(...args: string[]) {
  const tsx = path.resolve('node_modules/tsx/dist/cli.mjs');
  return spawnSync(process.execPath, [tsx, path.resolve('tests/fixtures/guard/stray-errors.ts'), ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('process guard', () => {
  it('fails the job an escaped error belongs to, logs every one, and the server keeps serving', () => {
    const run = runFixture();
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      states: string[];
      errors: Array<{ type: string; data: { code: string; message: string } }>;
      answer: string;
      logged: string[];
      throwerStopped: boolean;
    };
    expect(result.states).toEqual(['error', 'error', 'done']);
    expect(result.errors.map((e) => e.type)).toEqual(['error', 'error']);
    expect(result.errors[0]!.data.code).toBe('internal');
    expect(result.errors[0]!.data.message).toContain('boom in a callback');
    expect(result.errors[1]!.data.message).toContain('nobody awaited this');
    // The failed job's signal was aborted, so its work stops too.
    expect(result.throwerStopped).toBe(true);
    expect(result.answer).toBe('still serving');
    expect(result.logged).toHaveLength(3);
    expect(result.logged.filter((l) => l.includes(' in job '))).toHaveLength(2);
    expect(result.logged.some((l) => l.includes('outside any job') && !l.includes(' in job '))).toBe(true);
  });

  it('is what keeps the process alive: without it the first stray error ends it', () => {
    const run = runFixture('--no-guard');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/nobody awaited this|boom in a callback/);
  });
});
