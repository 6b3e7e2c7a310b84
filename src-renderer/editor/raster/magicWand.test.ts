import { describe, expect, it } from 'vitest';
import { referenceRegion, seededRandom } from '../testReference';
import type { ImagePixels } from '../types';
import { selectSimilar } from './magicWand';

function select(image: ImagePixels, width: number, height: number, x: number, y: number, tol = 0) {
  const selected = new Uint8Array(width * height);
  selectSimilar(image, width, height, x, y, tol, (row, x0, x1) => {
    for (let i = row * width + x0; i <= row * width + x1; i++) {
      expect(selected[i]).toBe(0);
      selected[i] = 1;
    }
  });
  return Array.from(selected).join('');
}

const grey = (values: number[]): ImagePixels => ({ data: Uint8Array.from(values), channels: 1 });

describe('selectSimilar', () => {
  it('includes differences equal to the tolerance and excludes one more', () => {
    const image = grey([100, 110, 120, 90, 89, 111]);
    expect(select(image, 6, 1, 0, 0, 10)).toBe('110000');
    expect(select(image, 6, 1, 3, 0, 10)).toBe('000110');
    expect(select(image, 6, 1, 0, 0, 0)).toBe('100000');
    expect(select(image, 6, 1, 0, 0, 20)).toBe('111111');
  });

  it('stops at a wall of different intensity and joins only through edges', () => {
    // 3×3 grey: dark corners joined only diagonally through a bright centre.
    const image = grey([0, 200, 0, 200, 200, 200, 0, 200, 0]);
    expect(select(image, 3, 3, 0, 0, 50)).toBe('100000000');
    expect(select(image, 3, 3, 1, 1, 50)).toBe('010111010');
  });

  it('compares colour images by the largest channel difference and ignores alpha', () => {
    const rgba = Uint8ClampedArray.from([
      10, 10, 10, 255, 20, 10, 10, 0, 10, 21, 10, 255, 10, 10, 0, 255,
    ]);
    const image: ImagePixels = { data: rgba, channels: 4 };
    expect(select(image, 4, 1, 0, 0, 10)).toBe('1100');
    expect(select(image, 4, 1, 0, 0, 11)).toBe('1111');
    const rgb: ImagePixels = { data: Uint8Array.from([0, 0, 0, 0, 0, 30, 0, 0, 0]), channels: 3 };
    expect(select(rgb, 3, 1, 0, 0, 29)).toBe('100');
  });

  it('reads only the grey channel of grey + alpha images', () => {
    const image: ImagePixels = { data: Uint8Array.from([50, 0, 52, 255, 90, 0]), channels: 2 };
    expect(select(image, 3, 1, 0, 0, 5)).toBe('110');
  });

  it('matches a breadth-first reference on random colour images', () => {
    const random = seededRandom(23);
    for (let trial = 0; trial < 40; trial++) {
      const width = 5 + Math.floor(random() * 30);
      const height = 5 + Math.floor(random() * 20);
      const rgba = Uint8Array.from({ length: width * height * 4 }, () => random() * 90);
      const x = Math.floor(random() * width);
      const y = Math.floor(random() * height);
      const tolerance = Math.floor(random() * 60);
      const seed = (y * width + x) * 4;
      const isNear = (i: number) =>
        [0, 1, 2].every((c) => Math.abs(rgba[i * 4 + c]! - rgba[seed + c]!) <= tolerance);
      const expected = referenceRegion(width, height, x, y, isNear);
      const image: ImagePixels = { data: rgba, channels: 4 };
      expect(select(image, width, height, x, y, tolerance)).toBe(expected.join(''));
    }
  });

  it('follows a winding path of similar pixels and ignores a seed outside the image', () => {
    // The x at the bottom right touches the path only diagonally, so it stays out.
    const rows = ['x....', 'x.xxx', 'x.x..', 'xxx.x'];
    const image = grey([...rows.join('')].map((c) => (c === 'x' ? 40 : 200)));
    expect(select(image, 5, 4, 0, 0, 0)).toBe('10000' + '10111' + '10100' + '11100');
    expect(select(image, 5, 4, 5, 0, 0)).toBe('0'.repeat(20));
  });
});
