/**
 * Where the image sits on the canvas: a scale and the screen position of the image's
 * top-left corner, both in device pixels of the canvas. Pure functions, so zoom and pan
 * are tested without a DOM. Image pixel (x, y) covers screen
 * [x0 + x·scale, x0 + (x+1)·scale) on each axis.
 */
import { fitRect } from './overlay';

export interface View {
  /** Screen pixels per image pixel. */
  scale: number;
  /** Screen position of the image's top-left corner. */
  x: number;
  y: number;
}

/** Past this many screen pixels per image pixel zooming stops: a pixel fills the view. */
export const MAX_SCALE = 64;

/** The view that fits the whole image, centred; at most 1:1 unless the image is tiny. */
export function fitView(
  imageWidth: number,
  imageHeight: number,
  viewWidth: number,
  viewHeight: number,
): View {
  const rect = fitRect(imageWidth, imageHeight, viewWidth, viewHeight);
  return { scale: rect.scale, x: rect.x, y: rect.y };
}

/** The smallest scale zooming out allows: a quarter of the fitted size. */
export function minScale(fit: View): number {
  return Math.min(fit.scale / 4, 1);
}

/**
 * Zooms by `factor` keeping the image point under screen (sx, sy) fixed, within
 * [min, MAX_SCALE].
 */
export function zoomAt(view: View, sx: number, sy: number, factor: number, min: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(min, view.scale * factor));
  const ratio = scale / view.scale;
  return { scale, x: sx - (sx - view.x) * ratio, y: sy - (sy - view.y) * ratio };
}

export function panBy(view: View, dx: number, dy: number): View {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** Screen to image coordinates (fractional image pixels). */
export function screenToImage(view: View, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - view.x) / view.scale, y: (sy - view.y) / view.scale };
}

export function imageToScreen(view: View, ix: number, iy: number): { x: number; y: number } {
  return { x: view.x + ix * view.scale, y: view.y + iy * view.scale };
}

/** The wheel's zoom factor: smooth for trackpads, about 1.25× per mouse notch. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 40 : deltaMode === 2 ? deltaY * 800 : deltaY;
  return Math.exp(-pixels * 0.0022);
}
