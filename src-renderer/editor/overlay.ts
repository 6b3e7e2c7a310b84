/**
 * Pure geometry and pixel helpers for the viewer: no DOM, so they run in unit tests.
 */
import type { ClassDef } from '../../shared/project';

/** RGB drawn for mask values that no class in the project defines, so they stay visible. */
export const UNKNOWN_CLASS_RGB: readonly [number, number, number] = [255, 0, 255];

/** Where an image lands in a view: position and size in view pixels, `scale` view/image. */
export interface FitRect {
  x: number;
  y: number;
  width: number;
  height: number;
  scale: number;
}

/**
 * Scales an image to fit a view, keeping its aspect ratio, and centres it. The offset is
 * floored to whole view pixels so that integer zooms map image pixels onto pixel edges.
 */
export function fitRect(
  imageWidth: number,
  imageHeight: number,
  viewWidth: number,
  viewHeight: number,
): FitRect {
  if (imageWidth <= 0 || imageHeight <= 0 || viewWidth <= 0 || viewHeight <= 0) {
    return { x: 0, y: 0, width: 0, height: 0, scale: 0 };
  }
  const scale = Math.min(viewWidth / imageWidth, viewHeight / imageHeight);
  const width = imageWidth * scale;
  const height = imageHeight * scale;
  const x = Math.floor((viewWidth - width) / 2);
  const y = Math.floor((viewHeight - height) / 2);
  return { x, y, width, height, scale };
}

/** Parses `#rrggbb`; anything else gives null. */
export function parseHexColor(color: string): [number, number, number] | null {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!match) return null;
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

/**
 * Turns a mask (one class id per pixel, row-major) into RGBA bytes of the same size:
 * each class id becomes its class colour at `alpha` (0..1); background (0) and not
 * labelled (255) stay fully transparent.
 */
export function maskToRgba(
  mask: Uint8Array,
  classes: readonly ClassDef[],
  alpha: number,
): Uint8ClampedArray<ArrayBuffer> {
  const lut = colourTable(classes, alpha);
  const out = new Uint8ClampedArray(mask.length * 4);
  // Both views share the platform's byte order, so copying whole words keeps RGBA order.
  const lutWords = new Uint32Array(lut.buffer);
  const outWords = new Uint32Array(out.buffer);
  for (let i = 0; i < mask.length; i++) outWords[i] = lutWords[mask[i]!]!;
  return out;
}

/** A rectangle in image pixels. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Like maskToRgba for one rectangle of a `maskWidth`-wide mask (the dirty region of an
 * edit). With `isOutline`, only a class's boundary pixels are coloured: those with a
 * 4-neighbour inside the image of another value.
 */
export function maskRegionToRgba(
  mask: Uint8Array,
  maskWidth: number,
  rect: PixelRect,
  classes: readonly ClassDef[],
  alpha: number,
  isOutline: boolean,
): Uint8ClampedArray<ArrayBuffer> {
  const lutWords = new Uint32Array(colourTable(classes, alpha).buffer);
  const out = new Uint8ClampedArray(rect.width * rect.height * 4);
  const outWords = new Uint32Array(out.buffer);
  const maskHeight = mask.length / maskWidth;
  for (let row = 0; row < rect.height; row++) {
    const y = rect.y + row;
    const line = y * maskWidth;
    for (let col = 0; col < rect.width; col++) {
      const x = rect.x + col;
      const v = mask[line + x]!;
      if (isOutline && v !== 0 && v !== 255) {
        const isEdge =
          (x > 0 && mask[line + x - 1] !== v) ||
          (x < maskWidth - 1 && mask[line + x + 1] !== v) ||
          (y > 0 && mask[line - maskWidth + x] !== v) ||
          (y < maskHeight - 1 && mask[line + maskWidth + x] !== v);
        if (!isEdge) continue;
      }
      outWords[row * rect.width + col] = lutWords[v]!;
    }
  }
  return out;
}

/**
 * A model's proposal drawn apart from labels: diagonal stripes of the class colour, only
 * where the mask is not labelled (the user's pixels always win) and the proposal is a
 * class (proposed background shows nothing). RGBA for one rectangle, like the above.
 */
export function proposalRegionToRgba(
  mask: Uint8Array,
  proposal: Uint8Array,
  maskWidth: number,
  rect: PixelRect,
  classes: readonly ClassDef[],
): Uint8ClampedArray<ArrayBuffer> {
  const strong = new Uint32Array(colourTable(classes, 0.95).buffer);
  const faint = new Uint32Array(colourTable(classes, 0.3).buffer);
  const out = new Uint8ClampedArray(rect.width * rect.height * 4);
  const outWords = new Uint32Array(out.buffer);
  for (let row = 0; row < rect.height; row++) {
    const y = rect.y + row;
    for (let col = 0; col < rect.width; col++) {
      const x = rect.x + col;
      const i = y * maskWidth + x;
      if (mask[i] !== 255) continue;
      const value = proposal[i]!;
      if (value === 0 || value === 255) continue;
      // Stripes four image pixels apart, in image space so they stay put while panning.
      const isStripe = (x + y) % 4 < 2;
      outWords[row * rect.width + col] = (isStripe ? strong : faint)[value]!;
    }
  }
  return out;
}

/** RGBA for each of the 256 mask values, 4 bytes per value. */
function colourTable(classes: readonly ClassDef[], alpha: number): Uint8Array {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255);
  const lut = new Uint8Array(256 * 4);
  for (let value = 1; value < 255; value++) lut.set([...UNKNOWN_CLASS_RGB, a], value * 4);
  for (const cls of classes) {
    const rgb = parseHexColor(cls.color) ?? UNKNOWN_CLASS_RGB;
    if (cls.id > 0 && cls.id < 255) lut.set([...rgb, a], cls.id * 4);
  }
  return lut;
}
