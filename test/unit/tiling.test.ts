import { describe, expect, it } from 'vitest';
import {
  accumulateTile,
  blendWindow,
  createBlend,
  extractTile,
  finishBlend,
  planTiles,
  reflectIndex,
} from '../../shared/tiling';
import { mulberry32 } from '../../src-main/engine/augment';

// [width, height, tile, overlap]
const cases: [number, number, number, number][] = [
  [100, 70, 32, 8],
  [64, 64, 32, 0],
  [33, 31, 32, 16],
  [20, 50, 32, 4],
  [5, 3, 8, 2],
];

/** A position-independent per-pixel "model": softmax over 3 classes of channel mixes. */
function perPixel(image: Float32Array, pixels: number, channels: number): Float32Array {
  const out = new Float32Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    const v = image.subarray(p * channels, (p + 1) * channels);
    const logits = [v[0]! - v[1]!, 2 * v[1]!, Math.sin(3 * v[0]!)];
    const exps = logits.map(Math.exp);
    const total = exps.reduce((a, b) => a + b, 0);
    exps.forEach((e, k) => (out[p * 3 + k] = e / total));
  }
  return out;
}

describe('planTiles', () => {
  it.each(cases)('%i×%i, tile %i, overlap %i: stays inside, covers all', (w, h, t, o) => {
    const tiles = planTiles(w, h, t, o);
    const covered = new Uint8Array(w * h);
    for (const tile of tiles) {
      expect(tile.x).toBeGreaterThanOrEqual(0);
      expect(tile.y).toBeGreaterThanOrEqual(0);
      expect(tile.x + tile.w).toBeLessThanOrEqual(w);
      expect(tile.y + tile.h).toBeLessThanOrEqual(h);
      expect(tile.w).toBe(Math.min(t, w));
      for (let y = tile.y; y < tile.y + tile.h; y++) {
        for (let x = tile.x; x < tile.x + tile.w; x++) covered[y * w + x] = 1;
      }
    }
    expect(covered.every((c) => c === 1)).toBe(true);
  });

  it('overlaps neighbours by at least the overlap', () => {
    const xs = [...new Set(planTiles(100, 10, 32, 8).map((t) => t.x))];
    expect(xs).toEqual([0, 24, 48, 68]);
  });

  it('gives one clipped tile for an image smaller than the tile', () => {
    expect(planTiles(5, 3, 8, 2)).toEqual([{ x: 0, y: 0, w: 5, h: 3 }]);
  });
});

describe('blending', () => {
  it('has a window that is positive everywhere, including tile borders', () => {
    const window = blendWindow(16, 4);
    expect(Math.min(...window)).toBeCloseTo(1 / 25, 6);
    expect(window[8 * 16 + 8]).toBe(1);
  });

  it.each(cases)('%i×%i, tile %i, overlap %i: weight sums are positive', (w, h, t, o) => {
    const blend = createBlend(w, h, 1, t, o);
    for (const tile of planTiles(w, h, t, o)) {
      accumulateTile(blend, tile, new Float32Array(t * t));
    }
    expect(blend.weight.every((s) => s > 0)).toBe(true);
  });

  it('blends constant tiles back to the constant', () => {
    const [w, h, t, o] = [50, 40, 16, 5];
    const blend = createBlend(w, h, 2, t, o);
    const constant = new Float32Array(t * t * 2).map((_, i) => (i % 2 ? 0.3 : 0.7));
    for (const tile of planTiles(w, h, t, o)) accumulateTile(blend, tile, constant);
    const out = finishBlend(blend);
    const want = [Math.fround(0.7), Math.fround(0.3)];
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe(want[i % 2]);
  });

  it.each(cases)('%i×%i, tile %i, overlap %i: equals a per-pixel model', (w, h, t, o) => {
    const random = mulberry32(w * 1000 + h);
    const channels = 2;
    const image = Float32Array.from({ length: w * h * channels }, () => random() * 4 - 2);
    const blend = createBlend(w, h, 3, t, o);
    for (const tile of planTiles(w, h, t, o)) {
      const input = extractTile(image, w, h, channels, tile, t);
      accumulateTile(blend, tile, perPixel(input, t * t, channels));
    }
    expect(finishBlend(blend)).toEqual(perPixel(image, w * h, channels));
  });

  it('pads small images by reflection', () => {
    const reflected = [-2, -1, 0, 1, 2, 3, 4, 5].map((i) => reflectIndex(i, 3));
    expect(reflected).toEqual([2, 1, 0, 1, 2, 1, 0, 1]);
    expect(reflectIndex(7, 1)).toBe(0);
    const image = Float32Array.from([1, 2, 3]);
    expect([...extractTile(image, 3, 1, 1, { x: 0, y: 0, w: 3, h: 1 }, 4)]).toEqual(
      [1, 2, 3, 2].concat([1, 2, 3, 2], [1, 2, 3, 2], [1, 2, 3, 2]),
    );
  });
});
