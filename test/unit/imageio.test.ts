import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeImage,
  decodeMask,
  encodeMask,
  probeImage,
  renderViewable,
  stretchTo8Bit,
} from '../../src-main/imageio';
import { tempDir, writeImage, type FixtureImage } from '../helpers/fixtures';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(() => tmp.remove());

const kinds: [string, FixtureImage][] = [
  ['grey8.png', { width: 9, height: 5, channels: 1, format: 'png' }],
  ['greyalpha8.png', { width: 9, height: 5, channels: 2, format: 'png' }],
  ['rgb8.png', { width: 9, height: 5, channels: 3, format: 'png' }],
  ['rgba8.png', { width: 9, height: 5, channels: 4, format: 'png' }],
  ['grey16.tif', { width: 9, height: 5, channels: 1, bitDepth: 16, format: 'tiff' }],
  ['greyalpha16.png', { width: 9, height: 5, channels: 2, bitDepth: 16, format: 'png' }],
  ['rgb16.tif', { width: 9, height: 5, channels: 3, bitDepth: 16, format: 'tiff' }],
  ['rgba8.tif', { width: 9, height: 5, channels: 4, format: 'tiff' }],
  ['rgb.jpg', { width: 9, height: 5, channels: 3, format: 'jpeg' }],
];

describe('image decoding', () => {
  it.each(kinds)('%s keeps its channels, depth and samples', async (name, spec) => {
    const file = join(tmp.dir, name);
    await writeImage(file, spec);
    const info = await probeImage(file);
    expect(info).toMatchObject({
      width: 9,
      height: 5,
      channels: spec.channels,
      bitDepth: spec.bitDepth ?? 8,
    });

    const raw = await decodeImage(file);
    expect(raw.channels).toBe(spec.channels);
    expect(raw.data).toBeInstanceOf(spec.bitDepth === 16 ? Uint16Array : Uint8Array);
    if (spec.format !== 'jpeg') {
      // Pixel (3, 2), channel c holds (3 + 4 + 40c), times 10 plus 1000 when 16-bit.
      const at = (2 * 9 + 3) * spec.channels;
      for (let c = 0; c < spec.channels; c++) {
        const v = 7 + 40 * c;
        expect(raw.data[at + c]).toBe(spec.bitDepth === 16 ? 1000 + 10 * v : v);
      }
    }

    const view = await sharp(await renderViewable(file)).metadata();
    expect([view.format, view.depth, view.channels, view.width]).toEqual([
      'png',
      'uchar',
      spec.channels,
      9,
    ]);
  });

  it('names the file when it is not an image', async () => {
    const file = join(tmp.dir, 'broken.png');
    await writeFile(file, 'this is not a png');
    await expect(probeImage(file)).rejects.toThrow(/^broken\.png: not a readable image/);
  });

  it('stretches 16-bit colour to the full 8-bit range and scales alpha', () => {
    const out = stretchTo8Bit(new Uint16Array([1000, 65535, 2000, 0, 1500, 32768]), 2);
    expect([...out]).toEqual([0, 255, 255, 0, 128, 128]);
  });
});

describe('masks', () => {
  it('round-trips class ids through an 8-bit grey PNG', async () => {
    const data = Uint8Array.from({ length: 6 * 4 }, (_, i) => [0, 1, 7, 254, 255][i % 5]!);
    const file = join(tmp.dir, 'mask.png');
    await writeFile(file, await encodeMask(data, 6, 4));
    const meta = await sharp(file).metadata();
    expect([meta.channels, meta.depth]).toEqual([1, 'uchar']);
    expect(await decodeMask(file, 6, 4)).toEqual(data);
  });

  it('refuses a mask of the wrong size or kind, naming the file', async () => {
    const file = join(tmp.dir, 'other.png');
    await writeFile(file, await encodeMask(new Uint8Array(12), 4, 3));
    await expect(decodeMask(file, 5, 3)).rejects.toThrow('other.png: mask is 4×3, image is 5×3');
    const rgb = join(tmp.dir, 'rgbmask.png');
    await writeImage(rgb, { width: 4, height: 3, channels: 3, format: 'png' });
    await expect(decodeMask(rgb, 4, 3)).rejects.toThrow(
      'rgbmask.png: a mask must be a single-channel',
    );
  });
});
