import { describe, expect, it } from 'vitest';
import { referenceStroke, seededRandom } from '../testReference';
import type { Point } from '../types';
import { rasterizeCapsule } from './capsule';

function rasterizeStroke(points: Point[], radius: number, width: number, height: number) {
  const out = new Uint8Array(width * height);
  const segments = points.length === 1 ? [[points[0]!, points[0]!]] : [];
  for (let i = 1; i < points.length; i++) segments.push([points[i - 1]!, points[i]!]);
  for (const [a, b] of segments) {
    rasterizeCapsule(a!, b!, radius, width, height, (y, x0, x1) => {
      expect(x0).toBeLessThanOrEqual(x1);
      expect(x0).toBeGreaterThanOrEqual(0);
      expect(x1).toBeLessThan(width);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThan(height);
      out.fill(1, y * width + x0, y * width + x1 + 1);
    });
  }
  return out;
}

function countOnes(a: Uint8Array): number {
  return a.reduce((sum, v) => sum + v, 0);
}

describe('rasterizeCapsule', () => {
  it('matches the brute-force reference on random segments and radii', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 150; trial++) {
      const radius = 1 + random() * 9;
      const a = { x: random() * 50 - 5, y: random() * 40 - 5 };
      const b = trial % 5 === 0 ? a : { x: random() * 50 - 5, y: random() * 40 - 5 };
      const actual = rasterizeStroke([a, b], radius, 40, 30);
      expect(actual).toEqual(referenceStroke([a, b], radius, 40, 30));
    }
  });

  it('matches the reference on pixel-aligned input where ties sit exactly on the radius', () => {
    for (const radius of [1, 2, 3, 5]) {
      for (const [a, b] of [
        [
          { x: 10.5, y: 10.5 },
          { x: 10.5, y: 10.5 },
        ],
        [
          { x: 5, y: 5 },
          { x: 15, y: 5 },
        ],
        [
          { x: 4.5, y: 3.5 },
          { x: 14.5, y: 13.5 },
        ],
        [
          { x: 10, y: 2 },
          { x: 10, y: 18 },
        ],
      ] as const) {
        const actual = rasterizeStroke([a, b], radius, 24, 22);
        expect(actual).toEqual(referenceStroke([a, b], radius, 24, 22));
      }
    }
  });

  it('draws a round dab: the plus shape at radius 1, a 3-pixel-wide disc at radius 1.5', () => {
    const plus = rasterizeStroke([{ x: 2.5, y: 2.5 }], 1, 5, 5);
    expect(Array.from(plus)).toEqual([
      0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0,
    ]);
    const disc = rasterizeStroke([{ x: 2.5, y: 2.5 }], 1.5, 5, 5);
    expect(countOnes(disc)).toBe(9);
    const big = rasterizeStroke([{ x: 50, y: 50 }], 20, 100, 100);
    // A disc's pixel count approaches its area.
    expect(Math.abs(countOnes(big) - Math.PI * 400) / (Math.PI * 400)).toBeLessThan(0.02);
  });

  it('has round caps: the end of a horizontal stroke is a half disc, not a square', () => {
    const stroke = rasterizeStroke(
      [
        { x: 10, y: 10 },
        { x: 30, y: 10 },
      ],
      5,
      40,
      20,
    );
    // Past the end, the corner pixel at (34, 14) is over 5 px from (30, 10); (34, 10) is not.
    expect(stroke[10 * 40 + 34]).toBe(1);
    expect(stroke[14 * 40 + 34]).toBe(0);
    expect(stroke[14 * 40 + 20]).toBe(1);
  });

  it('leaves no gaps between far-apart samples of a fast move', () => {
    const width = 300;
    const points = [
      { x: 5, y: 5 },
      { x: 290, y: 95 },
      { x: 10, y: 95 },
    ];
    const stroke = rasterizeStroke(points, 2, width, 100);
    for (let x = 10; x < 285; x++) {
      const yLine = 5 + ((x + 0.5 - 5) * 90) / 285;
      expect(stroke[Math.floor(yLine) * width + x]).toBe(1);
      expect(stroke[95 * width + x]).toBe(1);
    }
  });

  it('clips to the mask and writes nothing for a stroke wholly outside it', () => {
    let calls = 0;
    rasterizeCapsule({ x: -50, y: -50 }, { x: -20, y: -10 }, 5, 10, 10, () => calls++);
    expect(calls).toBe(0);
    const edge = rasterizeStroke(
      [
        { x: -3, y: 5 },
        { x: 12, y: 5 },
      ],
      3,
      10,
      10,
    );
    expect(edge).toEqual(
      referenceStroke(
        [
          { x: -3, y: 5 },
          { x: 12, y: 5 },
        ],
        3,
        10,
        10,
      ),
    );
  });
});
