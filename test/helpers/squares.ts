/** Training folders made on the fly: bright squares on a dark noisy field, masks marking them. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/** Writes `n` 32×32 grey images to `dir`/images and binary masks (square = 255) to `dir`/masks. */
export async function writeSquares(dir: string, n: number): Promise<void> {
  await mkdir(join(dir, 'images'), { recursive: true });
  await mkdir(join(dir, 'masks'), { recursive: true });
  for (let k = 0; k < n; k++) {
    const image = new Uint8Array(32 * 32);
    const mask = new Uint8Array(32 * 32);
    for (let i = 0; i < image.length; i++) {
      const [x, y] = [i % 32, Math.floor(i / 32)];
      const inside = x >= 4 + k && x < 16 + k && y >= 8 && y < 20;
      image[i] = (inside ? 180 : 40) + ((i * 37 + k * 11) % 30);
      mask[i] = inside ? 255 : 0;
    }
    const save = (data: Uint8Array, file: string) =>
      sharp(data, { raw: { width: 32, height: 32, channels: 1 } })
        .toColourspace('b-w')
        .png()
        .toFile(file);
    await save(image, join(dir, 'images', `${k}.png`));
    await save(mask, join(dir, 'masks', `${k}.png`));
  }
}
