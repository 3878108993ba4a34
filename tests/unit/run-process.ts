import { spawn } from 'node:child_process';

/** What a finished process left: its exit code, stdout's bytes and stderr's text. */
export interface ProcessResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Run a process with real pipes on its standard streams; `stdin` (if any) is written and closed. */
export function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  stdin?: Buffer,
): Promise<ProcessResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout: Buffer.concat(out), stderr: err }));
    child.stdin.end(stdin);
  });
}
