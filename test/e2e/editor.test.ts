/**
 * The editor end to end: paint with the mouse in Chromium against `skipseg serve`, wait
 * for the autosave, and read the mask PNG from disk.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMask } from '../../src-main/imageio';
import { openSampleSession, type SampleSession } from '../helpers/sampleSession';
import type { ServeProcess } from '../helpers/server';

const IMAGE = 'isbi-4';
const SIZE = 512;

let session: SampleSession;
let server: ServeProcess;
let page: Page;
let projectDir: string;

beforeAll(async () => {
  session = await openSampleSession('skipseg-e2e-editor-', { width: 1280, height: 800 });
  ({ server, page, projectDir } = session);
});

afterAll(() => session?.close());

function viewerAttr(name: string) {
  return page.locator('[data-testid=viewer]').getAttribute(name);
}

/** Page coordinates of image pixel (x, y)'s centre. */
async function toPage(x: number, y: number): Promise<{ x: number; y: number }> {
  const box = (await page.locator('[data-testid=viewer]').boundingBox())!;
  const [left, top, width] = (await viewerAttr('data-image-rect'))!
    .split(',')
    .map(Number) as number[];
  const scale = width! / SIZE;
  return { x: box.x + left! + (x + 0.5) * scale, y: box.y + top! + (y + 0.5) * scale };
}

async function drag(from: [number, number], to: [number, number]) {
  const a = await toPage(...from);
  const b = await toPage(...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 12 });
  await page.mouse.up();
}

/** Waits for the autosave to report "saved" after an edit, then reads the mask file. */
async function savedMask(id = IMAGE): Promise<Uint8Array> {
  const state = page.locator('[data-testid=save-state]');
  await expect.poll(() => state.getAttribute('data-state'), { timeout: 20_000 }).toBe('saved');
  return decodeMask(join(projectDir, 'masks', `${id}.png`), SIZE, SIZE);
}

async function open(id: string) {
  await page.locator(`[data-testid=image-row][data-image-id=${id}]`).click();
  await expect.poll(() => viewerAttr('data-loaded'), { timeout: 30_000 }).toBe(id);
}

async function imageWidthOnScreen(): Promise<number> {
  return Number((await viewerAttr('data-image-rect'))!.split(',')[2]);
}

const at = (mask: Uint8Array, x: number, y: number) => mask[y * SIZE + x];

describe('editor in Chromium', () => {
  it('opens an unlabelled image', async () => {
    await page.goto(server.url);
    await page.locator(`[data-testid=image-row][data-image-id=${IMAGE}]`).click();
    await expect.poll(() => viewerAttr('data-loaded'), { timeout: 30_000 }).toBe(IMAGE);
    await expect.poll(() => page.locator('[data-testid=mask-missing]').isVisible()).toBe(true);
  });

  it('paints a brush stroke with class 1 and autosaves it to the mask file', async () => {
    await page.locator('[data-testid=tool-brush]').click();
    await drag([100, 200], [300, 200]);
    await expect
      .poll(() => page.locator('[data-testid=save-state]').getAttribute('data-state'))
      .not.toBe('saved');
    const mask = await savedMask();
    expect(at(mask, 100, 200)).toBe(1);
    expect(at(mask, 200, 200)).toBe(1);
    expect(at(mask, 300, 200)).toBe(1);
    // The default brush radius is 8 image pixels: inside at 6 rows off, outside at 12.
    expect(at(mask, 200, 206)).toBe(1);
    expect(at(mask, 200, 212)).toBe(255);
    expect(at(mask, 200, 400)).toBe(255);
    const row = page.locator(`[data-testid=image-row][data-image-id=${IMAGE}]`);
    await expect.poll(() => row.getAttribute('data-status')).toBe('partial');
  });

  it('undo takes the stroke back in the file too', async () => {
    await page.keyboard.press('Control+z');
    const mask = await savedMask();
    expect(at(mask, 200, 200)).toBe(255);
    expect(mask.every((v) => v === 255)).toBe(true);
    await page.keyboard.press('Control+Shift+Z');
    expect(at(await savedMask(), 200, 200)).toBe(1);
  });

  it('a class picked by digit key paints its own id; the eraser writes not labelled', async () => {
    await page.locator('[data-testid=add-class]').click();
    await expect.poll(() => page.locator('[data-testid=class-pick]').count()).toBe(3);
    await page.keyboard.press('1');
    await page.keyboard.press('2');
    await drag([200, 100], [200, 300]);
    let mask = await savedMask();
    expect(at(mask, 200, 120)).toBe(2);
    expect(at(mask, 200, 200)).toBe(2);
    expect(at(mask, 120, 200)).toBe(1);

    await page.keyboard.press('e');
    await drag([110, 200], [130, 200]);
    mask = await savedMask();
    expect(at(mask, 120, 200)).toBe(255);
    expect(at(mask, 250, 200)).toBe(1);
  });

  it('lists every shortcut in the help overlay', async () => {
    await page.keyboard.press('?');
    const help = page.locator('[data-testid=help-overlay]');
    await expect.poll(() => help.isVisible()).toBe(true);
    const text = await help.innerText();
    for (const words of [
      'Undo',
      'Redo',
      'Brush',
      'Polygon',
      'Magic wand',
      'Zoom in',
      'Next image',
    ]) {
      expect(text).toContain(words);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => help.isVisible()).toBe(false);
  });

  it('fills a polygon closed with Enter', async () => {
    await page.keyboard.press('1');
    await page.keyboard.press('p');
    for (const [x, y] of [
      [400, 400],
      [480, 400],
      [480, 480],
      [400, 480],
    ] as const) {
      const p = await toPage(x, y);
      await page.mouse.click(p.x, p.y);
    }
    await page.keyboard.press('Enter');
    const mask = await savedMask();
    expect(at(mask, 440, 440)).toBe(1);
    expect(at(mask, 390, 440)).toBe(255);
  });

  it('zooms at the cursor with the wheel, fits with 0, steps to the next image (D)', async () => {
    const fitted = await imageWidthOnScreen();
    const centre = await toPage(256, 256);
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.wheel(0, -400);
    await expect.poll(imageWidthOnScreen).toBeGreaterThan(fitted * 1.5);
    const after = await toPage(256, 256);
    expect(Math.abs(after.x - centre.x)).toBeLessThan(2);
    await page.keyboard.press('0');
    await expect.poll(imageWidthOnScreen).toBeCloseTo(fitted, 1);

    await page.keyboard.press('d');
    await expect.poll(() => viewerAttr('data-loaded')).toBe('isbi-5');
    await page.keyboard.press('a');
    await expect.poll(() => viewerAttr('data-loaded')).toBe(IMAGE);
  });

  it('an unreadable mask is reported, kept until the user starts anew, then replaced', async () => {
    const file = join(projectDir, 'masks', 'isbi-1.png');
    await writeFile(file, 'not a png');
    await open('isbi-1');
    await expect.poll(() => page.locator('[data-testid=mask-problem]').isVisible()).toBe(true);
    await page.keyboard.press('b');
    await drag([50, 50], [150, 50]);
    await page.waitForTimeout(1500);
    expect(await readFile(file, 'utf8')).toBe('not a png');

    await page.locator('[data-testid=start-empty-mask]').click();
    await drag([50, 50], [150, 50]);
    const mask = await savedMask('isbi-1');
    expect(at(mask, 100, 50)).toBe(1);
    expect(at(mask, 100, 300)).toBe(255);
  });

  it('saves at once when the window is about to close, not after the debounce', async () => {
    await open(IMAGE);
    await page.keyboard.press('b');
    await page.keyboard.press('1');
    await drag([60, 470], [160, 470]);
    // What the Electron shell does on close: ask for a flush and wait for the answer.
    await page.evaluate(
      'new Promise((done) => dispatchEvent(new CustomEvent("skipseg:flush", { detail: done })))',
    );
    // Read at once: the debounce (a second) has not fired, so only the flush saved this.
    const mask = await decodeMask(join(projectDir, 'masks', `${IMAGE}.png`), SIZE, SIZE);
    expect(at(mask, 110, 470)).toBe(1);
  });
});
