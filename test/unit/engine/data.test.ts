import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFolderPairs, toFloat } from '../../../src-main/engine/data';
import { tempDir, writeImage } from '../../helpers/fixtures';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir();
  await mkdir(join(tmp.dir, 'images'));
  await mkdir(join(tmp.dir, 'masks'));
});
afterEach(() => tmp.remove());

async function mask(name: string, values: number[], width = 4, height = 2) {
  await sharp(Uint8Array.from(values), { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(join(tmp.dir, 'masks', name));
}

describe('folder data', () => {
  it('matches masks by base name, reads 0/255 masks as binary, skips what it cannot pair', async () => {
    for (const n of ['a', 'b', 'c']) {
      await writeImage(join(tmp.dir, 'images', `${n}.png`), {
        width: 4,
        height: 2,
        channels: 1,
        format: 'png',
      });
    }
    await mask('a.png', [0, 255, 0, 255, 0, 0, 255, 255]);
    await mask('b.tif'.replace('.tif', '.png'), [255, 255, 255, 255, 0, 0, 0, 0]);
    const set = await loadFolderPairs(join(tmp.dir, 'images'), join(tmp.dir, 'masks'));
    expect(set.samples.map((s) => s.name)).toEqual(['a.png', 'b.png']);
    expect([...set.samples[0]!.mask]).toEqual([0, 1, 0, 1, 0, 0, 1, 1]);
    expect(set.classes).toBe(2);
    expect(set.inputChannels).toBe(1);
    expect(set.skipped.map((s) => s.reason)).toEqual([
      `c.png: no mask of the same name in ${join(tmp.dir, 'masks')}`,
    ]);
  });

  it('keeps class ids and 255 as not labelled in multi-class masks', async () => {
    await writeImage(join(tmp.dir, 'images', 'a.png'), {
      width: 4,
      height: 2,
      channels: 3,
      format: 'png',
    });
    await mask('a.png', [0, 1, 2, 3, 255, 255, 1, 0]);
    const set = await loadFolderPairs(join(tmp.dir, 'images'), join(tmp.dir, 'masks'));
    expect([...set.samples[0]!.mask]).toEqual([0, 1, 2, 3, 255, 255, 1, 0]);
    expect(set.classes).toBe(4);
    expect(set.inputChannels).toBe(3);
  });

  it('reports a mask of the wrong size by file name', async () => {
    await writeImage(join(tmp.dir, 'images', 'a.png'), {
      width: 4,
      height: 2,
      channels: 1,
      format: 'png',
    });
    await mask('a.png', [0, 1, 0, 1, 0, 1], 3, 2);
    await expect(loadFolderPairs(join(tmp.dir, 'images'), join(tmp.dir, 'masks'))).rejects.toThrow(
      /no image with a readable mask/,
    );
    await writeFile(join(tmp.dir, 'images', 'b.png'), 'broken');
  });

  it('scales 16-bit to [0, 1] and drops alpha', () => {
    const grey = toFloat(
      { width: 2, height: 1, channels: 2, data: new Uint16Array([65535, 7, 0, 9]) },
      1,
    );
    expect([...grey]).toEqual([1, 0]);
    const rgb = toFloat({ width: 1, height: 1, channels: 1, data: new Uint8Array([51]) }, 3);
    expect([...rgb].map((v) => v.toFixed(2))).toEqual(['0.20', '0.20', '0.20']);
  });
});
