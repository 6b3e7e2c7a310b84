/**
 * An end-to-end session: a copy of the sample project in a temp folder, `skipseg serve` on
 * it, and a page in Debian's Chromium. `close()` tears all three down.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { ensureSampleProject } from '../../src-main/sample';
import { launchChromium } from './browser';
import { tempDir } from './fixtures';
import { serve, type ServeProcess } from './server';

export interface SampleSession {
  projectDir: string;
  server: ServeProcess;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function openSampleSession(
  prefix: string,
  viewport: { width: number; height: number },
): Promise<SampleSession> {
  const tmp = await tempDir(prefix);
  const assets = join(import.meta.dirname, '..', '..', 'assets');
  const project = await ensureSampleProject(tmp.dir, assets);
  const server = await serve(project.dir, { SKIPSEG_HOME: join(tmp.dir, 'home') });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  return {
    projectDir: project.dir,
    server,
    browser,
    page,
    async close() {
      await browser.close();
      await server.stop();
      await tmp.remove();
    },
  };
}
