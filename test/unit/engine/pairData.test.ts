import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrainSpec } from '../../../shared/engineProtocol';
import { mulberry32 } from '../../../src-main/engine/augment';
import { loadFilePairs } from '../../../src-main/engine/data';
import { loadTrainData } from '../../../src-main/engine/trainData';
import { tempDir, writeImage } from '../../helpers/fixtures';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
});
afterEach(() => tmp.remove());

/** An image and its 4×2 mask holding `values`; returns their paths. */
async function pair(name: string, values: number[]) {
  const image = join(tmp.dir, `${name}.png`);
  const mask = join(tmp.dir, `${name}-mask.png`);
  await writeImage(image, { width: 4, height: 2, channels: 1, format: 'png' });
  await sharp(Uint8Array.from(values), { raw: { width: 4, height: 2, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(mask);
  return { image, mask };
}

describe('listed image/mask pairs', () => {
  it('read 0 as background and 255 as not labelled, never as a binary mask', async () => {
    const set = await loadFilePairs([await pair('a', [0, 255, 0, 255, 0, 0, 255, 255])]);
    expect([...set.samples[0]!.mask]).toEqual([0, 255, 0, 255, 0, 0, 255, 255]);
    expect(set.classes).toBe(2);
  });

  it('take the class count given, reading larger ids as not labelled', async () => {
    const set = await loadFilePairs([await pair('a', [0, 1, 2, 3, 255, 1, 0, 0])], 3);
    expect([...set.samples[0]!.mask]).toEqual([0, 1, 2, 255, 255, 1, 0, 0]);
    expect(set.classes).toBe(3);
  });

  it('skip an unreadable pair with its reason', async () => {
    const good = await pair('a', [0, 1, 0, 1, 0, 1, 0, 1]);
    const set = await loadFilePairs([
      good,
      { image: good.image, mask: join(tmp.dir, 'missing.png') },
    ]);
    expect(set.samples).toHaveLength(1);
    expect(set.skipped).toHaveLength(1);
    await expect(
      loadFilePairs([{ image: good.image, mask: join(tmp.dir, 'x.png') }]),
    ).rejects.toMatchObject({
      code: 'NO_DATA',
    });
  });

  it('split as listed; with none held out, validation uses the training images', async () => {
    const [a, b, c] = [
      await pair('a', [0, 1, 0, 1, 0, 1, 0, 1]),
      await pair('b', [1, 1, 0, 0, 255, 255, 0, 0]),
      await pair('c', [0, 0, 0, 0, 1, 1, 1, 1]),
    ];
    const spec = {
      train: { pairs: [a!, b!] },
      val: { pairs: [c!] },
      classes: 2,
    } as unknown as TrainSpec;
    const data = await loadTrainData(spec, mulberry32(1));
    expect(data.trainSamples.map((s) => s.name)).toEqual(['a.png', 'b.png']);
    expect(data.valSamples.map((s) => s.name)).toEqual(['c.png']);

    const noVal = await loadTrainData({ ...spec, val: { pairs: [] } }, mulberry32(1));
    expect(noVal.valSamples.map((s) => s.name)).toEqual(['a.png', 'b.png']);
    await expect(
      loadTrainData({ ...spec, train: { pairs: [] }, val: { pairs: [a!] } }, mulberry32(1)),
    ).rejects.toThrow(/every readable labelled image is held out/);
  });
});
