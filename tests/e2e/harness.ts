import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = join(import.meta.dirname, '..', '..');

export interface Preview {
  url: string;
  origin: string;
  token: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  output: string[];
  stop(): Promise<void>;
}

/** Start the browser preview (`dist/web/serve.mjs`, built by `npm run test:e2e`) and wait for its Ready line. */
export async function startPreview(options: { env?: NodeJS.ProcessEnv; dataDir?: string } = {}): Promise<Preview> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'strata-e2e-data-'));
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'web', 'serve.mjs')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', STRATA_DATA_DIR: dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`preview did not print Ready within 30s:\n${output.join('')}`)),
      30_000,
    );
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output.push(line);
      const m = /^Ready: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`preview exited with ${code}:\n${output.join('')}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: new URLSearchParams(parsed.hash.slice(1)).get('token')!,
    dataDir,
    process: child,
    output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless, with the flags that keep it off the (closed) network. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page on the preview, with its console errors collected (a test can assert there were none). */
export async function openApp(browser: Browser, preview: Preview): Promise<{ page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(preview.url);
  return { page, consoleErrors };
}

/** Save a screenshot under test-results/ for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(repoRoot, 'test-results', `${name}.png`), fullPage: false });
}
