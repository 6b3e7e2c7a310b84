/**
 * The editor's speed in Debian's Chromium against `skipseg serve` (run: npm run bench:editor).
 *
 * - Brush frame times: a continuous stroke on a 4096×4096 image; every animation frame's
 *   interval is recorded in the page, and p50 / p95 / max are printed.
 * - An 8192×8192 image opens and takes a stroke (time to open, frame times).
 * - Switching to a neighbour that was prefetched: click to drawn, in ms.
 *
 * Needs `npm run build` first. Prints figures; asserts nothing about time.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright';
import { Project } from '../src-main/project/project';
import { launchChromium } from '../test/helpers/browser';
import { tempDir } from '../test/helpers/fixtures';
import { serve } from '../test/helpers/server';

const STROKE_MOVES = 240;

async function noiseImage(file: string, size: number): Promise<void> {
  // Smooth blobs plus noise: a PNG that compresses like a micrograph, not like a flat field.
  const data = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = 128 + 60 * Math.sin(x / 37) * Math.cos(y / 23) + ((x * 7919 + y * 104729) % 41);
      data[y * size + x] = v;
    }
  }
  await sharp(data, { raw: { width: size, height: size, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 1 })
    .toFile(file);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Clicks the image's row and times, in the page, until the viewer has drawn it. */
async function openImage(page: Page, id: string): Promise<number> {
  // A string, not a function: tsx's transform would add helpers the page does not have.
  return page.evaluate<number>(`new Promise((resolve) => {
    const viewer = document.querySelector('[data-testid=viewer]');
    const started = performance.now();
    const observer = new MutationObserver(() => {
      if (viewer.dataset.loaded !== ${JSON.stringify(id)}) return;
      observer.disconnect();
      resolve(performance.now() - started);
    });
    observer.observe(viewer, { attributes: true });
    document.querySelector('[data-testid=image-row][data-image-id=${JSON.stringify(id)}]').click();
  })`);
}

/** Drags across the view while the page records every frame interval. */
async function strokeFrames(page: Page): Promise<number[]> {
  const box = (await page.locator('[data-testid=viewer]').boundingBox())!;
  // A string, not a function: tsx's transform would add helpers the page does not have.
  await page.evaluate(`(() => {
    window.frames_ = [];
    window.recording_ = true;
    let last = performance.now();
    const tick = (now) => {
      window.frames_.push(now - last);
      last = now;
      if (window.recording_) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx - 200, cy);
  await page.mouse.down();
  for (let i = 0; i < STROKE_MOVES; i++) {
    const t = (i / STROKE_MOVES) * Math.PI * 4;
    await page.mouse.move(cx - 200 + (400 * i) / STROKE_MOVES, cy + 120 * Math.sin(t));
  }
  await page.mouse.up();
  // The first interval spans the setup, not a frame of the stroke.
  return page.evaluate<number[]>(`(() => {
    window.recording_ = false;
    return window.frames_.slice(1);
  })()`);
}

function report(name: string, frames: number[]): void {
  const f = (v: number) => v.toFixed(1);
  console.log(
    `${name}: ${frames.length} frames, p50 ${f(percentile(frames, 50))} ms, ` +
      `p95 ${f(percentile(frames, 95))} ms, max ${f(Math.max(...frames))} ms`,
  );
}

async function main(): Promise<void> {
  const tmp = await tempDir('skipseg-bench-editor-');
  const server = { stop: async () => {} };
  try {
    const sources = join(tmp.dir, 'sources');
    await mkdir(sources);
    await noiseImage(join(sources, 'a-4096.png'), 4096);
    await noiseImage(join(sources, 'b-4096.png'), 4096);
    await noiseImage(join(sources, 'c-8192.png'), 8192);
    const project = await Project.create(join(tmp.dir, 'project'), 'bench');
    await project.addImages([sources]);

    const running = await serve(project.dir, { SKIPSEG_HOME: join(tmp.dir, 'home') });
    server.stop = running.stop;
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(running.url);
    await page.locator('[data-testid=image-row]').first().waitFor();
    console.log(`Chromium ${browser.version()}, headless, software rendering (--disable-gpu)`);

    const ms = (v: number) => `${v.toFixed(0)} ms`;
    console.log(`open a-4096 (cold): ${ms(await openImage(page, 'a-4096'))}`);
    report('brush stroke on 4096×4096', await strokeFrames(page));
    // Opening a-4096 prefetched b-4096; give it time to decode, then switch.
    await page.waitForTimeout(3000);
    console.log(`switch to prefetched b-4096: ${ms(await openImage(page, 'b-4096'))}`);
    await page.waitForTimeout(1000);
    console.log(`switch back to a-4096 (cached): ${ms(await openImage(page, 'a-4096'))}`);
    console.log(`open c-8192 (cold): ${ms(await openImage(page, 'c-8192'))}`);
    report('brush stroke on 8192×8192', await strokeFrames(page));
    await browser.close();
  } finally {
    await server.stop();
    await tmp.remove();
  }
}

await main();
