import { describe, expect, it } from 'vitest';
import { augment, mulberry32, rotate90, type Sample } from '../../../src-main/engine/augment';

/** Channel 0 holds x, channel 1 holds y; the mask holds x + 10y. */
function coordinateSample(width: number, height: number): Sample {
  const image = new Float32Array(width * height * 2);
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      image.set([x, y], (y * width + x) * 2);
      mask[y * width + x] = x + 10 * y;
    }
  }
  return { image, mask, width, height, channels: 2 };
}

const still = { brightness: 0, contrast: 0 };

describe('mulberry32', () => {
  it('reproduces a sequence from its seed and stays in [0, 1)', () => {
    const a = Array.from({ length: 100 }, mulberry32(42));
    expect(Array.from({ length: 100 }, mulberry32(42))).toEqual(a);
    expect(Array.from({ length: 100 }, mulberry32(43))).not.toEqual(a);
    expect(a.every((v) => v >= 0 && v < 1)).toBe(true);
  });
});

describe('rotate90', () => {
  it('turns clockwise and comes back after four turns', () => {
    const grid = Uint8Array.from([1, 2, 3, 4]);
    expect([...rotate90(grid, 2, 1, 1)]).toEqual([3, 1, 4, 2]);
    const image = Float32Array.from({ length: 5 * 5 * 3 }, (_, i) => i);
    let turned = image;
    for (let k = 0; k < 4; k++) turned = rotate90(turned, 5, 3, 1);
    expect(turned).toEqual(image);
    expect(rotate90(image, 5, 3, 4)).toEqual(image);
    expect(rotate90(rotate90(image, 5, 3, 3), 5, 3, 1)).toEqual(image);
  });
});

describe('augment', () => {
  it('keeps image and mask aligned through crops, flips and rotations', () => {
    const sample = coordinateSample(9, 5);
    const steps = new Set<string>();
    for (let seed = 0; seed < 64; seed++) {
      const out = augment(sample, { tile: 6, ...still }, mulberry32(seed));
      expect(out).toMatchObject({ width: 6, height: 6, channels: 2 });
      const at = (x: number, y: number) => {
        const i = y * 6 + x;
        return { x: out.image[i * 2]!, y: out.image[i * 2 + 1]!, mask: out.mask[i]! };
      };
      for (let y = 0; y < 6; y++) {
        for (let x = 0; x < 6; x++) {
          const p = at(x, y);
          if (p.mask !== 255) expect(p.mask).toBe(p.x + 10 * p.y);
          const right = x < 5 ? at(x + 1, y) : null;
          // A rigid transform: neighbours in the output were neighbours in the source.
          if (right && p.mask !== 255 && right.mask !== 255) {
            expect(Math.abs(right.x - p.x) + Math.abs(right.y - p.y)).toBe(1);
            steps.add(`${right.x - p.x},${right.y - p.y}`);
          }
        }
      }
      // The image is 5 rows tall, the tile 6: exactly one row of padding, ignored.
      expect(out.mask.filter((m) => m === 255).length).toBe(6);
    }
    expect(steps.size).toBe(4);
  });

  it('pads a small image with 0 and its mask with 255', () => {
    const sample = coordinateSample(3, 3);
    sample.image.fill(1);
    const out = augment(sample, { tile: 5, pad: 'zero', ...still }, mulberry32(1));
    expect(out.mask.filter((m) => m !== 255).length).toBe(9);
    for (let i = 0; i < 25; i++) {
      const isPadding = out.mask[i] === 255;
      expect(out.image[i * 2]).toBe(isPadding ? 0 : 1);
    }
  });

  it('reflects image padding by default, still ignoring it in the mask', () => {
    const sample = coordinateSample(3, 3);
    sample.image.fill(1);
    const out = augment(sample, { tile: 5, ...still }, mulberry32(1));
    expect(out.mask.filter((m) => m !== 255).length).toBe(9);
    expect(out.image.every((v) => v === 1)).toBe(true);
  });

  it('reproduces a result from its seed', () => {
    const sample = coordinateSample(12, 12);
    const a = augment(sample, { tile: 8 }, mulberry32(5));
    expect(augment(sample, { tile: 8 }, mulberry32(5))).toEqual(a);
    expect(augment(sample, { tile: 8 }, mulberry32(6))).not.toEqual(a);
  });

  it('jitters brightness and contrast of the image only', () => {
    const sample = coordinateSample(12, 12);
    const plain = augment(sample, { tile: 8, ...still }, mulberry32(9));
    const jittered = augment(sample, { tile: 8, brightness: 0.5, contrast: 0.5 }, mulberry32(9));
    expect(jittered.mask).toEqual(plain.mask);
    expect(jittered.image).not.toEqual(plain.image);
    // Contrast scales about the crop mean: each channel maps through one line, slope > 0.
    const channel0 = (img: Float32Array) => img.filter((_, i) => i % 2 === 0);
    const [p, j] = [channel0(plain.image), channel0(jittered.image)];
    const slope = (Math.max(...j) - Math.min(...j)) / (Math.max(...p) - Math.min(...p));
    expect(slope).not.toBeCloseTo(1, 3);
    for (let i = 0; i < p.length; i++) expect(j[i]).toBeCloseTo(j[0]! + (p[i]! - p[0]!) * slope, 4);
  });
});
