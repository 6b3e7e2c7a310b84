/**
 * Rasterises a brush segment: the "capsule" of every point within `radius` of a line
 * segment, which is a disc when both ends coincide. A pixel is inside when its centre is.
 */
import type { Point, SpanWriter } from '../types';

/** Squared distance from (px, py) to the segment a–b, in image pixels². */
export function distanceToSegmentSq(px: number, py: number, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  let t = lengthSq > 0 ? ((px - a.x) * dx + (py - a.y) * dy) / lengthSq : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = px - (a.x + t * dx);
  const ey = py - (a.y + t * dy);
  return ex * ex + ey * ey;
}

/**
 * Calls `write` once per row for the pixels whose centres lie within `radius` of the
 * segment a–b, clipped to a `width × height` mask. Work is proportional to the capsule's
 * rows, never to the mask.
 */
export function rasterizeCapsule(
  a: Point,
  b: Point,
  radius: number,
  width: number,
  height: number,
  write: SpanWriter,
): void {
  const top = Math.max(0, Math.ceil(Math.min(a.y, b.y) - radius - 0.5) - 1);
  const bottom = Math.min(height - 1, Math.floor(Math.max(a.y, b.y) + radius - 0.5) + 1);
  const rSq = radius * radius;
  // The analytic row interval is only an estimate under rounding: widen it by a pixel and
  // trim with the exact distance test, so membership is decided by one predicate alone.
  const slack = radius + 1e-6;
  for (let y = top; y <= bottom; y++) {
    const cy = y + 0.5;
    const [lo, hi] = capsuleRow(cy, a, b, slack);
    if (lo > hi) continue;
    let x0 = Math.max(0, Math.ceil(lo - 0.5) - 1);
    let x1 = Math.min(width - 1, Math.floor(hi - 0.5) + 1);
    while (x0 <= x1 && distanceToSegmentSq(x0 + 0.5, cy, a, b) > rSq) x0++;
    while (x1 >= x0 && distanceToSegmentSq(x1 + 0.5, cy, a, b) > rSq) x1--;
    if (x0 <= x1) write(y, x0, x1);
  }
}

/** The x range of the capsule on the line y = cy: [lo, hi], empty when lo > hi. */
function capsuleRow(cy: number, a: Point, b: Point, r: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const end of [a, b]) {
    const dy = cy - end.y;
    const s = r * r - dy * dy;
    if (s < 0) continue;
    const half = Math.sqrt(s);
    lo = Math.min(lo, end.x - half);
    hi = Math.max(hi, end.x + half);
  }
  const [slabLo, slabHi] = slabRow(cy, a, b, r);
  if (slabLo <= slabHi) {
    lo = Math.min(lo, slabLo);
    hi = Math.max(hi, slabHi);
  }
  return [lo, hi];
}

/**
 * The x range, on y = cy, of the rectangle swept by the disc between the end caps: points
 * projecting onto the segment within its length, and within r of its line.
 */
function slabRow(cy: number, a: Point, b: Point, r: number): [number, number] {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  if (lengthSq === 0) return [Infinity, -Infinity];
  const along = (cy - a.y) * dy; // projection of (x - a.x, cy - a.y) is (x - a.x)·dx + along
  const across = (cy - a.y) * dx; // cross product is (x - a.x)·dy - across
  const reach = r * Math.sqrt(lengthSq);
  const [tLo, tHi] = solveBetween(dx, along, 0, lengthSq);
  const [pLo, pHi] = solveBetween(dy, -across, -reach, reach);
  return [a.x + Math.max(tLo, pLo), a.x + Math.min(tHi, pHi)];
}

/** The u where lower <= k·u + c <= upper, as [lo, hi] (possibly unbounded or empty). */
function solveBetween(k: number, c: number, lower: number, upper: number): [number, number] {
  if (k === 0) return c >= lower && c <= upper ? [-Infinity, Infinity] : [Infinity, -Infinity];
  const u0 = (lower - c) / k;
  const u1 = (upper - c) / k;
  return u0 <= u1 ? [u0, u1] : [u1, u0];
}
