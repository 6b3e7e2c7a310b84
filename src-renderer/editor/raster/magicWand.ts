/**
 * Magic wand selection: the pixels 4-connected to a seed whose image intensity or colour
 * is within a tolerance of the seed's. Reads only the image, never the mask, so a bit set
 * records which pixels are taken.
 */
import type { ImagePixels, SpanWriter } from '../types';
import { type FillRegion, scanlineFill } from './scanlineFill';

/**
 * Calls `write` once per run of pixels connected to (x, y) that are similar to it. Similar
 * means, for grey images, |value − seed| ≤ tolerance; for colour images, the largest of
 * the R, G, B differences ≤ tolerance. Alpha is ignored. Tolerance is 0..255, inclusive.
 */
export function selectSimilar(
  image: ImagePixels,
  width: number,
  height: number,
  x: number,
  y: number,
  tolerance: number,
  write: SpanWriter,
): void {
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  const region = new SimilarRegion(image, width, y * width + x, tolerance, write);
  scanlineFill(width, height, x, y, region);
}

/** Untaken pixels similar to the seed; one object per selection, no closure per pixel. */
class SimilarRegion implements FillRegion {
  private readonly data: Uint8Array | Uint8ClampedArray;
  private readonly stride: number;
  private readonly taken: Uint32Array;
  // Per channel, whether each of the 256 values lies within the tolerance of the seed's.
  private readonly near0: Uint8Array;
  private readonly near1: Uint8Array;
  private readonly near2: Uint8Array;

  constructor(
    image: ImagePixels,
    private readonly width: number,
    seedIndex: number,
    tolerance: number,
    private readonly write: SpanWriter,
  ) {
    this.data = image.data;
    this.stride = image.channels;
    this.taken = new Uint32Array(Math.ceil(image.data.length / image.channels / 32));
    const isColour = image.channels >= 3;
    const at = seedIndex * this.stride;
    const nearTo = (c: number) => nearTable(this.data[at + c]!, tolerance);
    const anything = new Uint8Array(256).fill(1);
    this.near0 = nearTo(0);
    this.near1 = isColour ? nearTo(1) : anything;
    this.near2 = isColour ? nearTo(2) : anything;
  }

  isInside(index: number): boolean {
    if ((this.taken[index >>> 5]! & (1 << (index & 31))) !== 0) return false;
    const at = index * this.stride;
    const d = this.data;
    // Grey images have no channels 1 and 2: their tables accept anything, so read 0.
    const c1 = this.stride >= 3 ? d[at + 1]! : 0;
    const c2 = this.stride >= 3 ? d[at + 2]! : 0;
    return (this.near0[d[at]!]! & this.near1[c1]! & this.near2[c2]!) === 1;
  }

  take(y: number, x0: number, x1: number): void {
    const taken = this.taken;
    for (let i = y * this.width + x0, end = y * this.width + x1; i <= end; i++) {
      taken[i >>> 5]! |= 1 << (i & 31);
    }
    this.write(y, x0, x1);
  }
}

function nearTable(seed: number, tolerance: number): Uint8Array {
  const table = new Uint8Array(256);
  for (let v = 0; v < 256; v++) table[v] = Math.abs(v - seed) <= tolerance ? 1 : 0;
  return table;
}
