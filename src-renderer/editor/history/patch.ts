/**
 * A patch is one rectangle of a mask before and after an edit: the unit that history
 * stores and replays. Both sides unpack to `width * height` bytes, row-major.
 */
import type { MaskBuffer, Rect } from '../types';
import type { PackedBytes } from './packBytes';

/** One changed rectangle of a mask, in image pixels, with its bytes before and after. */
export interface Patch extends Rect {
  readonly before: PackedBytes;
  readonly after: PackedBytes;
}

/** Copies a rectangle of the mask out into a new array, row by row. */
export function copyRect(mask: MaskBuffer, rect: Rect): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height);
  for (let row = 0; row < rect.height; row++) {
    const start = (rect.y + row) * mask.width + rect.x;
    out.set(mask.data.subarray(start, start + rect.width), row * rect.width);
  }
  return out;
}

/** Writes `bytes` (a `rect`-sized array) into the mask at `rect`. */
export function pasteRect(mask: MaskBuffer, rect: Rect, bytes: Uint8Array): void {
  for (let row = 0; row < rect.height; row++) {
    const from = row * rect.width;
    mask.data.set(bytes.subarray(from, from + rect.width), (rect.y + row) * mask.width + rect.x);
  }
}

/** Cuts `inner` (which lies inside `outer`) out of a `outer`-sized array. */
export function cropBytes(bytes: Uint8Array, outer: Rect, inner: Rect): Uint8Array {
  const out = new Uint8Array(inner.width * inner.height);
  for (let row = 0; row < inner.height; row++) {
    const start = (inner.y - outer.y + row) * outer.width + (inner.x - outer.x);
    out.set(bytes.subarray(start, start + inner.width), row * inner.width);
  }
  return out;
}
