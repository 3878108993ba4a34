import type Docker from 'dockerode';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { removeImagesWithNonce } from '../integration/build/build-context';
import { launchChromium, openApp, startPreview, type Preview } from './harness';

/** A build context on disk and the app open on the Build view, as the Build view's tests start. */
export interface BuildView {
  readonly contextDir: string;
  readonly page: Page;
  readonly consoleErrors: string[];
  /** Close the browser and the preview, remove the images the test built (by nonce) and the context. */
  close(): Promise<void>;
}

/**
 * Write `files` (paths relative to the context, folders made as needed) into a fresh temp folder, start the
 * preview and Chromium, and open the Build view. If any step fails, what was started is stopped again.
 */
export async function openBuildView(options: {
  tempPrefix: string;
  files: Record<string, string | Buffer>;
  docker: Docker;
  nonce: string;
}): Promise<BuildView> {
  let contextDir: string | undefined;
  let preview: Preview | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await preview?.stop();
    await removeImagesWithNonce(options.docker, options.nonce);
    if (contextDir) await rm(contextDir, { recursive: true, force: true });
  };
  try {
    contextDir = await mkdtemp(join(tmpdir(), options.tempPrefix));
    for (const [file, content] of Object.entries(options.files)) {
      await mkdir(join(contextDir, file, '..'), { recursive: true });
      await writeFile(join(contextDir, file), content);
    }
    preview = await startPreview();
    browser = await launchChromium();
    const { page, consoleErrors } = await openApp(browser, preview);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Build' }).click();
    return { contextDir, page, consoleErrors, close };
  } catch (err) {
    await close();
    throw err;
  }
}
