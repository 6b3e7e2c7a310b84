/**
 * One-click fine-tune end to end: on a copy of the sample project in web mode, start a
 * fine-tune with a short budget, follow its progress, see the model in the list, open a
 * not-labelled image, accept the proposal and read the saved mask from disk.
 */
import { join } from 'node:path';
import type { Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMask } from '../../src-main/imageio';
import { openSampleSession, type SampleSession } from '../helpers/sampleSession';
import type { ServeProcess } from '../helpers/server';

let session: SampleSession;
let server: ServeProcess;
let page: Page;
let projectDir: string;

beforeAll(async () => {
  session = await openSampleSession('skipseg-e2e-tune-', { width: 1400, height: 900 });
  ({ server, page, projectDir } = session);
});

afterAll(() => session?.close());

const training = () => page.locator('[data-testid=training]');

describe('fine-tune in Chromium', () => {
  it('trains on the labelled images with live progress and lists the model', async () => {
    await page.goto(server.url);
    await page.locator('[data-testid=image-row]').first().waitFor();
    await page.locator('label:has-text("time") select').selectOption({ label: '30 s' });
    await page.locator('[data-testid=fine-tune]').click();

    await expect
      .poll(() => page.locator('[data-testid=loss-curve]').getAttribute('data-points'), {
        timeout: 60_000,
      })
      .not.toBe('0');
    await expect
      .poll(() => training().getAttribute('data-phase'), { timeout: 150_000 })
      .toBe('done');
    await expect.poll(() => page.locator('[data-testid=model-row]').count()).toBe(1);
    expect(await page.locator('[data-testid=model-row] input[type=radio]').isChecked()).toBe(true);
  });

  it('proposes labels for a not-labelled image; accepting them saves the mask', async () => {
    const row = page.locator('[data-testid=image-row][data-image-id=isbi-3]');
    await expect.poll(() => row.getAttribute('data-confidence')).not.toBeNull();
    const confidence = Number(await row.getAttribute('data-confidence'));
    expect(confidence).toBeGreaterThan(0);
    expect(confidence).toBeLessThanOrEqual(1);

    await row.click();
    await expect
      .poll(() => page.locator('[data-testid=viewer]').getAttribute('data-loaded'), {
        timeout: 30_000,
      })
      .toBe('isbi-3');
    await page.locator('[data-testid=accept-all]').click();
    const state = page.locator('[data-testid=save-state]');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 20_000 }).toBe('saved');

    const mask = await decodeMask(join(projectDir, 'masks', 'isbi-3.png'), 512, 512);
    const values = new Set(mask);
    expect(values.has(255)).toBe(false);
    expect([...values].every((v) => v === 0 || v === 1)).toBe(true);
    await expect.poll(() => row.getAttribute('data-status')).toBe('labelled');
  });

  it('rejects a proposal, then asks the model again for that one image', async () => {
    const row = page.locator('[data-testid=image-row][data-image-id=isbi-5]');
    await row.click();
    await expect
      .poll(() => page.locator('[data-testid=viewer]').getAttribute('data-loaded'), {
        timeout: 30_000,
      })
      .toBe('isbi-5');
    await page.locator('[data-testid=reject-proposal]').click();
    await expect.poll(() => row.getAttribute('data-confidence')).toBeNull();
    await page.locator('[data-testid=propose-one]').click();
    await expect
      .poll(() => row.getAttribute('data-confidence'), { timeout: 30_000 })
      .not.toBeNull();
    await expect.poll(() => page.locator('[data-testid=accept-all]').isVisible()).toBe(true);
  });
});
