/**
 * Flood fill over a mask: the 4-connected region of pixels equal to the seed's value,
 * found by the shared scanline walk, so no recursion and no per-pixel closures.
 */
import type { MaskBuffer } from '../types';
import { type FillRegion, scanlineFill } from './scanlineFill';

/** Writes a run of a mask; must set every pixel of it to `value` before returning. */
export type MaskSpanWriter = (y: number, x0: number, x1: number, value: number) => void;

/**
 * Fills, with `value`, the 4-connected region of pixels whose mask value equals that of
 * pixel (x, y), by calling `writeSpan` once per run. The fill reads the mask to tell what
 * is done, so the writer must really write.
 */
export function floodFillMask(
  mask: MaskBuffer,
  x: number,
  y: number,
  value: number,
  writeSpan: MaskSpanWriter,
): void {
  const { width, height, data } = mask;
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  const target = data[y * width + x]!;
  if (target === value) return;
  scanlineFill(width, height, x, y, new EqualValueRegion(data, target, value, writeSpan));
}

/** Pixels of one mask value; taking them paints them another, so they stop matching. */
class EqualValueRegion implements FillRegion {
  constructor(
    private readonly data: Uint8Array,
    private readonly target: number,
    private readonly value: number,
    private readonly writeSpan: MaskSpanWriter,
  ) {}

  isInside(index: number): boolean {
    return this.data[index] === this.target;
  }

  take(y: number, x0: number, x1: number): void {
    this.writeSpan(y, x0, x1, this.value);
  }
}
