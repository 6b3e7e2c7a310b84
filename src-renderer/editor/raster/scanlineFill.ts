/**
 * The span-filling walk shared by flood fill and the magic wand: it finds the 4-connected
 * region of "inside" pixels around a seed, one horizontal run at a time, with an explicit
 * stack instead of recursion. Each stack entry remembers the row it came from, so a
 * parent row is only rescanned where a child run reaches past it.
 */

/** The region being filled; pixel indices are `y * width + x`. */
export interface FillRegion {
  /** Whether the pixel belongs to the region and has not been taken yet. */
  isInside(index: number): boolean;
  /** Takes pixels x0..x1 (inclusive) of row y; afterwards none of them may be inside. */
  take(y: number, x0: number, x1: number): void;
}

/**
 * Takes every pixel 4-connected to (x, y) through inside pixels, each exactly once, in
 * maximal runs. Does nothing when the seed lies outside the image or is not inside.
 */
export function scanlineFill(
  width: number,
  height: number,
  x: number,
  y: number,
  region: FillRegion,
): void {
  if (x < 0 || y < 0 || x >= width || y >= height || !region.isInside(y * width + x)) return;
  // Entries of four: first and last column, row, and the step (+1 or -1) that led there.
  // The seed row pretends to come from above, so the pixel above the seed is queued too.
  const stack: number[] = [x, x, y, 1, x, x, y - 1, -1];
  while (stack.length > 0) {
    const dy = stack.pop()!;
    const row = stack.pop()!;
    const last = stack.pop()!;
    const first = stack.pop()!;
    if (row < 0 || row >= height) continue;
    const offset = row * width;
    let col = first;
    while (col <= last) {
      if (!region.isInside(offset + col)) {
        col++;
        continue;
      }
      let left = col;
      if (col === first) while (left > 0 && region.isInside(offset + left - 1)) left--;
      let right = col;
      while (right < width - 1 && region.isInside(offset + right + 1)) right++;
      region.take(row, left, right);
      if (region.isInside(offset + col)) throw new Error('scanline fill: a run was not taken');

      stack.push(left, right, row + dy, dy);
      // Where the run reaches past the row it came from, look back into that row too.
      if (left < first) stack.push(left, first - 1, row - dy, -dy);
      if (right > last) stack.push(last + 1, right, row - dy, -dy);
      col = right + 2;
    }
  }
}
