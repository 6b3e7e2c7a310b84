import { describe, expect, it } from 'vitest';
import { referencePolygon, seededRandom } from '../testReference';
import type { Point } from '../types';
import { rasterizePolygon } from './polygon';

function fill(vertices: Point[], width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  let lastRow = -1;
  rasterizePolygon(vertices, width, height, (y, x0, x1) => {
    expect(y).toBeGreaterThanOrEqual(lastRow);
    lastRow = y;
    expect(x0).toBeGreaterThanOrEqual(0);
    expect(x1).toBeLessThan(width);
    for (let x = x0; x <= x1; x++) out[y * width + x]! ^= 1;
  });
  return out;
}

/** Points from a flat list of x, y coordinates. */
function pts(...coords: number[]): Point[] {
  const points: Point[] = [];
  for (let i = 0; i + 1 < coords.length; i += 2) points.push({ x: coords[i]!, y: coords[i + 1]! });
  return points;
}

describe('rasterizePolygon', () => {
  const cases: Record<string, Point[]> = {
    square: pts(2, 2, 12, 2, 12, 9, 2, 9),
    triangle: pts(3.2, 1.1, 17.7, 6.4, 5.5, 14.9),
    'concave (L shape)': pts(1, 1, 15, 1, 15, 5, 6, 5, 6, 15, 1, 15),
    'concave (arrow)': pts(2, 2, 18, 8, 2, 14, 8, 8),
    'self-intersecting bow tie': pts(2, 2, 18, 14, 18, 2, 2, 14),
    'five-point star (even-odd leaves the centre empty)': pts(
      10,
      1,
      15.3,
      17,
      1.5,
      6.8,
      18.5,
      6.8,
      4.7,
      17,
    ),
    'vertices on pixel centres': pts(2.5, 2.5, 12.5, 2.5, 7.5, 12.5),
    'partly outside the mask': pts(-5, -3, 15, 4, 25, 25, 3, 12),
  };

  for (const [name, vertices] of Object.entries(cases)) {
    it(`matches the even-odd reference: ${name}`, () => {
      expect(fill(vertices, 20, 18)).toEqual(referencePolygon(vertices, 20, 18));
    });
  }

  it('matches the reference on random polygons, self-intersections and all', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 100; trial++) {
      const count = 3 + Math.floor(random() * 9);
      const vertices = Array.from({ length: count }, () => ({
        x: trial % 3 === 0 ? Math.round(random() * 30) : random() * 34 - 2,
        y: trial % 3 === 0 ? Math.round(random() * 24) : random() * 28 - 2,
      }));
      expect(fill(vertices, 30, 24)).toEqual(referencePolygon(vertices, 30, 24));
    }
  });

  it('writes each pixel at most once, so spans never overlap', () => {
    const star = cases['five-point star (even-odd leaves the centre empty)']!;
    // fill() toggles; overlapping spans would cancel out and fail the reference match.
    const counts = new Uint8Array(20 * 18);
    rasterizePolygon(star, 20, 18, (y, x0, x1) => {
      for (let x = x0; x <= x1; x++) counts[y * 20 + x]!++;
    });
    expect(Math.max(...counts)).toBe(1);
    expect(counts[9 * 20 + 10]).toBe(0);
  });

  it('fills nothing for fewer than three vertices or a zero-area outline', () => {
    expect(fill(pts(1, 1, 9, 9), 10, 10).every((v) => v === 0)).toBe(true);
    expect(fill(pts(1, 1, 5, 5, 9, 9), 10, 10).every((v) => v === 0)).toBe(true);
  });
});
