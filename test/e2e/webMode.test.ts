/**
 * The foundation end to end: `skipseg serve` on a copy of the sample project, driven in
 * Debian's Chromium. The viewer must really draw the mask: we check screenshot pixels.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMask } from '../../src-main/imageio';
import { openSampleSession, type SampleSession } from '../helpers/sampleSession';
import type { ServeProcess } from '../helpers/server';

let session: SampleSession;
let server: ServeProcess;
let browser: Browser;
let page: Page;
let projectDir: string;

beforeAll(async () => {
  session = await openSampleSession('skipseg-e2e-', { width: 1280, height: 800 });
  ({ server, browser, page, projectDir } = session);
});

afterAll(() => session?.close());

/** Share of pixels in a PNG screenshot that the class colour #ff3b30 tints clearly red. */
async function redShare(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let red = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (r > g + 50 && r > b + 50) red++;
  }
  return red / (info.width * info.height);
}

describe('web mode in Chromium', () => {
  it('refuses requests that do not carry the token', async () => {
    expect((await fetch(server.base + '/')).status).toBe(403);
    expect((await fetch(server.base + '/media/thumbnail/isbi-0')).status).toBe(403);
    const context = await browser.newContext();
    const stranger = await context.newPage();
    const response = await stranger.goto(server.base + '/');
    expect(response?.status()).toBe(403);
    await context.close();
  });

  it('lists every image of the project with a thumbnail', async () => {
    await page.goto(server.url);
    const rows = page.locator('[data-testid=image-row]');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(6);
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-image-id')));
    expect(ids).toEqual(['isbi-0', 'isbi-1', 'isbi-2', 'isbi-3', 'isbi-4', 'isbi-5']);
    const thumbnailWidths = () =>
      page
        .locator('[data-testid=image-row] img')
        .evaluateAll((imgs) =>
          imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth),
        );
    await expect.poll(thumbnailWidths, { timeout: 30_000 }).toEqual([160, 160, 160, 160, 160, 160]);
    // The launch token is not left in the address bar.
    expect(page.url()).not.toContain('token=');
  });

  it('draws the mask over the image where the mask says, and nothing on an unlabelled one', async () => {
    const viewer = page.locator('[data-testid=viewer]');

    await page.locator('[data-image-id="isbi-0"]').click();
    await expect.poll(() => viewer.getAttribute('data-loaded'), { timeout: 30_000 }).toBe('isbi-0');
    const rect = (await viewer.getAttribute('data-image-rect'))!.split(',').map(Number) as number[];
    const shot = await sharp(await viewer.screenshot())
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const mask = await decodeMask(join(projectDir, 'masks', 'isbi-0.png'), 512, 512);

    // Sample a grid of image pixels away from class edges, where the screenshot must agree.
    const [left, top, width, height] = rect as [number, number, number, number];
    let agree = 0;
    let total = 0;
    for (let y = 4; y < 512; y += 12) {
      for (let x = 4; x < 512; x += 12) {
        const cls = mask[y * 512 + x]!;
        if (mask[y * 512 + x + 1] !== cls || mask[(y + 1) * 512 + x] !== cls) continue;
        const sx = Math.floor(left + ((x + 0.5) * width) / 512);
        const sy = Math.floor(top + ((y + 0.5) * height) / 512);
        const i = (sy * shot.info.width + sx) * shot.info.channels;
        const [r, g, b] = [shot.data[i]!, shot.data[i + 1]!, shot.data[i + 2]!];
        const tinted = r > g + 50 && r > b + 50;
        if (tinted === (cls === 1)) agree++;
        total++;
      }
    }
    expect(total).toBeGreaterThan(1000);
    expect(agree / total).toBeGreaterThan(0.97);

    await page.locator('[data-image-id="isbi-4"]').click();
    await expect.poll(() => viewer.getAttribute('data-loaded'), { timeout: 30_000 }).toBe('isbi-4');
    expect(await redShare(await viewer.screenshot())).toBeLessThan(0.002);
  });

  it('says which transport and compute backend run, in the status bar', async () => {
    const status = page.locator('[data-testid=status-bar]');
    expect(await status.innerText()).toMatch(/web/i);
    // The engine process starts beside the server; on these machines it runs on wasm.
    await expect.poll(() => status.innerText(), { timeout: 60_000 }).toMatch(/backend: wasm/);
    // A click says what doctor says: the backend's detail, and why each faster one is unused.
    await status.getByRole('button', { name: /backend: wasm/ }).click();
    const panel = page.locator('[data-testid=backend-panel]');
    expect(await panel.innerText()).toMatch(/Computing with WebAssembly .*\(SIMD, \d+ threads?\)/);
    const reasons = panel.locator('li[data-backend]');
    expect(
      await reasons.evaluateAll((els) => els.map((e) => e.getAttribute('data-backend'))),
    ).toEqual(['tensorflow-gpu', 'tensorflow', 'webgpu']);
    expect(await panel.locator('li[data-backend=webgpu]').innerText()).toMatch(/webgpu: .*adapter/);

    // Choosing a backend restarts the engine on it; "the fastest" goes back to wasm.
    const choice = panel.locator('[data-testid=backend-choice]');
    await choice.selectOption('cpu');
    await expect.poll(() => status.innerText(), { timeout: 60_000 }).toMatch(/backend: cpu/);
    expect(await panel.innerText()).toMatch(/Computing with plain JavaScript/);
    // Fine-tuning there would crawl: the model panel says so while it lasts.
    const slow = page.locator('[data-testid=slow-backend]');
    expect(await slow.innerText()).toMatch(/hundreds of times slower/);
    await choice.selectOption('auto');
    await expect.poll(() => status.innerText(), { timeout: 60_000 }).toMatch(/backend: wasm/);
    expect(await slow.count()).toBe(0);

    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
  });
});
