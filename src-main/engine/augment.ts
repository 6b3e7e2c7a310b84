/**
 * Seeded training augmentation of an image and its mask together: random square crop
 * (padding images smaller than the crop), flips, 90° rotations, and brightness/contrast
 * jitter on the image only. Plain typed-array code, no tfjs, so it runs in any worker.
 */
import { NOT_LABELLED } from '../../shared/project';
import { reflectIndex } from '../../shared/tiling';

/** A normalised image, [H×W×C] row-major, with its mask of H×W class ids (255 = ignore). */
export interface Sample {
  image: Float32Array;
  mask: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

export interface AugmentOptions {
  /** Side of the square crop in pixels; the result is tile × tile. */
  tile: number;
  /** Random horizontal and vertical flips. Default true. */
  flips?: boolean;
  /** Random rotation by 0, 90, 180 or 270°. Default true. */
  rotations?: boolean;
  /** Largest added offset, in normalised image units. Default 0.1; 0 turns it off. */
  brightness?: number;
  /** Largest relative change of contrast about the crop's mean. Default 0.1; 0 turns it off. */
  contrast?: number;
  /** How image padding is filled; the mask's padding is always 255. Default 'reflect'. */
  pad?: 'zero' | 'reflect';
}

/** Uniform floats in [0, 1) from a 32-bit seed: mulberry32, small and good enough. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer uniform in lo..hi inclusive. */
function randomInt(random: () => number, lo: number, hi: number): number {
  return lo + Math.floor(random() * (hi - lo + 1));
}

/**
 * Rotates a square n × n map with `channels` values per pixel by `times` × 90°
 * clockwise. Returns a new array of the same type.
 */
export function rotate90<T extends Float32Array | Uint8Array>(
  data: T,
  n: number,
  channels: number,
  times: number,
): T {
  let src = data;
  for (let k = 0; k < ((times % 4) + 4) % 4; k++) {
    const out = src.slice() as T;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        // Clockwise: the new top row is the old left column read bottom-up.
        const from = ((n - 1 - x) * n + y) * channels;
        out.set(src.subarray(from, from + channels), (y * n + x) * channels);
      }
    }
    src = out;
  }
  return src === data ? (data.slice() as T) : src;
}

/**
 * One random augmentation of `sample` as a tile × tile sample. Draws from `random` in a
 * fixed order, so the same seed gives the same result. When the image is narrower or
 * shorter than the tile, the crop hangs over the edge at a random offset and the
 * overhang is padded (image: reflect or 0, mask: 255 so losses ignore it).
 */
export function augment(sample: Sample, opts: AugmentOptions, random: () => number): Sample {
  const { width, height, channels } = sample;
  const n = opts.tile;
  const cropX = randomInt(random, Math.min(0, width - n), Math.max(0, width - n));
  const cropY = randomInt(random, Math.min(0, height - n), Math.max(0, height - n));
  const flipX = (opts.flips ?? true) && random() < 0.5;
  const flipY = (opts.flips ?? true) && random() < 0.5;
  const turns = (opts.rotations ?? true) ? randomInt(random, 0, 3) : 0;
  const brightness = (opts.brightness ?? 0.1) * (2 * random() - 1);
  const contrast = 1 + (opts.contrast ?? 0.1) * (2 * random() - 1);

  const image = new Float32Array(n * n * channels);
  const mask = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const sx = cropX + (flipX ? n - 1 - x : x);
      const sy = cropY + (flipY ? n - 1 - y : y);
      const isInside = sx >= 0 && sx < width && sy >= 0 && sy < height;
      const to = y * n + x;
      mask[to] = isInside ? sample.mask[sy * width + sx]! : NOT_LABELLED;
      if (!isInside && opts.pad === 'zero') continue;
      const from = (reflectIndex(sy, height) * width + reflectIndex(sx, width)) * channels;
      image.set(sample.image.subarray(from, from + channels), to * channels);
    }
  }
  jitter(image, channels, brightness, contrast);

  return {
    image: rotate90(image, n, channels, turns),
    mask: rotate90(mask, n, 1, turns),
    width: n,
    height: n,
    channels,
  };
}

/** v ← (v − mean_c) × contrast + mean_c + brightness, per channel c, in place. */
function jitter(image: Float32Array, channels: number, brightness: number, contrast: number) {
  if (brightness === 0 && contrast === 1) return;
  const pixels = image.length / channels;
  for (let c = 0; c < channels; c++) {
    let mean = 0;
    for (let i = c; i < image.length; i += channels) mean += image[i]!;
    mean /= pixels;
    for (let i = c; i < image.length; i += channels) {
      image[i] = (image[i]! - mean) * contrast + mean + brightness;
    }
  }
}
