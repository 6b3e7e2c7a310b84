/**
 * Rectangle helpers in image pixels, and a bounds accumulator that grows without
 * allocating, for code that marks pixels one span at a time.
 */
import type { Rect } from './types';

/** The smallest rectangle holding both; null stands for "nothing". */
export function unionRect(a: Rect | null, b: Rect | null): Rect | null {
  if (!a) return b;
  if (!b) return a;
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  const right = Math.max(a.x + a.width, b.x + b.width);
  const bottom = Math.max(a.y + a.height, b.y + b.height);
  return { x, y, width: right - x, height: bottom - y };
}

/** Whether pixel (x, y) lies inside the rectangle. */
export function isPixelInRect(rect: Rect, x: number, y: number): boolean {
  return x >= rect.x && y >= rect.y && x < rect.x + rect.width && y < rect.y + rect.height;
}

/** Collects the bounding box of marked pixels; inclusive bounds while it grows. */
export class Bounds {
  private minX = Infinity;
  private minY = Infinity;
  private maxX = -Infinity;
  private maxY = -Infinity;

  get isEmpty(): boolean {
    return this.maxX < this.minX;
  }

  /** Adds pixels x0..x1 (inclusive) of row y. */
  addSpan(y: number, x0: number, x1: number): void {
    if (x0 < this.minX) this.minX = x0;
    if (x1 > this.maxX) this.maxX = x1;
    if (y < this.minY) this.minY = y;
    if (y > this.maxY) this.maxY = y;
  }

  addRect(rect: Rect): void {
    this.addSpan(rect.y, rect.x, rect.x + rect.width - 1);
    this.addSpan(rect.y + rect.height - 1, rect.x, rect.x);
  }

  /** The collected box, or null when nothing was added. */
  toRect(): Rect | null {
    if (this.isEmpty) return null;
    const width = this.maxX - this.minX + 1;
    return { x: this.minX, y: this.minY, width, height: this.maxY - this.minY + 1 };
  }

  clear(): void {
    this.minX = this.minY = Infinity;
    this.maxX = this.maxY = -Infinity;
  }
}
