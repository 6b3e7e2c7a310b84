/**
 * Brute-force references for the editor's tests: slow, obvious versions of what the
 * rasterisers compute, written without their tricks, plus a seeded random source.
 */
import type { Point } from './types';

/** Pixels whose centre lies within `radius` of any segment of the polyline. */
export function referenceStroke(
  points: readonly Point[],
  radius: number,
  width: number,
  height: number,
): Uint8Array {
  const inside = new Uint8Array(width * height);
  const segments = points.length === 1 ? [[points[0]!, points[0]!]] : pairs(points);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = { x: x + 0.5, y: y + 0.5 };
      const isNear = segments.some(([a, b]) => pointToSegment(c, a!, b!) <= radius * radius);
      if (isNear) inside[y * width + x] = 1;
    }
  }
  return inside;
}

/** Pixels whose centre is inside the polygon by the even-odd rule (crossing count). */
export function referencePolygon(
  vertices: readonly Point[],
  width: number,
  height: number,
): Uint8Array {
  const inside = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      let isInside = false;
      for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
        const a = vertices[i]!;
        const b = vertices[j]!;
        if (a.y > py === b.y > py) continue;
        const crossX = a.x + ((py - a.y) * (b.x - a.x)) / (b.y - a.y);
        if (px < crossX) isInside = !isInside;
      }
      if (isInside) inside[y * width + x] = 1;
    }
  }
  return inside;
}

/** Squared distance from p to segment a–b, via the closest point on it. */
function pointToSegment(p: Point, a: Point, b: Point): number {
  const vx = b.x - a.x;
  const vy = b.y - a.y;
  const lengthSq = vx * vx + vy * vy;
  const t = lengthSq === 0 ? 0 : ((p.x - a.x) * vx + (p.y - a.y) * vy) / lengthSq;
  const clamped = Math.max(0, Math.min(1, t));
  const dx = p.x - (a.x + clamped * vx);
  const dy = p.y - (a.y + clamped * vy);
  return dx * dx + dy * dy;
}

function pairs(points: readonly Point[]): Point[][] {
  return points.slice(1).map((p, i) => [points[i]!, p]);
}

/** A small seeded generator (xorshift32) of floats in [0, 1), so random tests repeat. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** The first index where two byte arrays differ, or -1 when they are identical. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Pixels 4-connected to the seed through members, by a plain breadth-first search. */
export function referenceRegion(
  width: number,
  height: number,
  seedX: number,
  seedY: number,
  isMember: (index: number) => boolean,
): Uint8Array {
  const inside = new Uint8Array(width * height);
  const queue = [seedY * width + seedX];
  inside[queue[0]!] = 1;
  while (queue.length > 0) {
    const i = queue.shift()!;
    const x = i % width;
    const neighbours = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width];
    for (const n of neighbours) {
      if (n < 0 || n >= width * height || inside[n] || !isMember(n)) continue;
      inside[n] = 1;
      queue.push(n);
    }
  }
  return inside;
}
