/**
 * Scanline fill of a polygon by pixel centres with the even-odd rule: a pixel is inside
 * when a ray from its centre towards +x crosses the outline an odd number of times.
 * Works for concave and self-intersecting outlines alike.
 */
import type { Point, SpanWriter } from '../types';

interface Edge {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  top: number;
  bottom: number;
}

/**
 * Calls `write` for each run of pixels inside the closed polygon `vertices`, clipped to a
 * `width × height` mask. An edge counts on row centre cy when exactly one of its ends has
 * y > cy, so a vertex on the scanline is counted once and horizontal edges never.
 */
export function rasterizePolygon(
  vertices: readonly Point[],
  width: number,
  height: number,
  write: SpanWriter,
): void {
  if (vertices.length < 3) return;
  const edges = buildEdges(vertices);
  if (edges.length === 0) return;
  const top = Math.max(0, Math.floor(edges[0]!.top - 0.5));
  const lowest = edges.reduce((y, e) => Math.max(y, e.bottom), -Infinity);
  const bottom = Math.min(height - 1, Math.ceil(lowest));

  const active: Edge[] = [];
  const crossings: number[] = [];
  let next = 0;
  for (let y = top; y <= bottom; y++) {
    const cy = y + 0.5;
    while (next < edges.length && edges[next]!.top <= cy) active.push(edges[next++]!);
    crossings.length = 0;
    for (let i = active.length - 1; i >= 0; i--) {
      const e = active[i]!;
      if (e.bottom < cy) active.splice(i, 1);
      else if (e.y0 > cy !== e.y1 > cy) crossings.push(crossingX(e, cy));
    }
    crossings.sort((p, q) => p - q);
    for (let i = 0; i + 1 < crossings.length; i += 2) {
      // Centre x + 0.5 lies in [left, right): an odd count of crossings lies to its right.
      const x0 = Math.max(0, Math.ceil(crossings[i]! - 0.5));
      const x1 = Math.min(width - 1, Math.ceil(crossings[i + 1]! - 0.5) - 1);
      if (x0 <= x1) write(y, x0, x1);
    }
  }
}

/** Where the edge meets the line y = cy. */
function crossingX(e: Edge, cy: number): number {
  return e.x0 + ((cy - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0);
}

/** The polygon's non-horizontal edges, sorted by their top y. */
function buildEdges(vertices: readonly Point[]): Edge[] {
  const edges: Edge[] = [];
  for (let i = 0; i < vertices.length; i++) {
    const a = vertices[i]!;
    const b = vertices[(i + 1) % vertices.length]!;
    if (a.y === b.y) continue;
    const top = Math.min(a.y, b.y);
    edges.push({ x0: a.x, y0: a.y, x1: b.x, y1: b.y, top, bottom: Math.max(a.y, b.y) });
  }
  return edges.sort((p, q) => p.top - q.top);
}
