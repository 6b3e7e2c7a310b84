/** Test fixtures made on the fly with sharp: temp folders and images of every kind we import. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export async function tempDir(
  prefix = 'skipseg-test-',
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface FixtureImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  bitDepth?: 8 | 16;
  format: 'png' | 'jpeg' | 'tiff';
}

/** A gradient image: sample (x, y, c) = (x + 2y + 40c) scaled to the bit depth. */
export async function writeImage(file: string, spec: FixtureImage): Promise<void> {
  const { width, height, channels, format } = spec;
  const deep = spec.bitDepth === 16;
  const data = deep
    ? new Uint16Array(width * height * channels)
    : new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const v = (x + 2 * y + 40 * c) % 256;
        data[(y * width + x) * channels + c] = deep ? 1000 + v * 10 : v;
      }
    }
  }
  // sharp takes the sample depth from the typed array's type.
  let image = sharp(data, { raw: { width, height, channels } });
  const grey = channels <= 2;
  image = image.toColourspace(deep ? (grey ? 'grey16' : 'rgb16') : grey ? 'b-w' : 'srgb');
  if (format === 'png') await image.png().toFile(file);
  else if (format === 'jpeg') await image.jpeg({ quality: 95 }).toFile(file);
  else await image.tiff({ compression: 'lzw' }).toFile(file);
}
