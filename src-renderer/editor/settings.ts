/**
 * Limits and steps for the editor's settings, kept apart from the core so that the UI's
 * sliders can use the same numbers.
 */
import { NOT_LABELLED } from '../../shared/project';

/**
 * Brush radius limits, in image pixels. NOTE: at radius 1 a dab centred on a pixel is a
 * plus of 5 pixels, so the finest brush is about 2 pixels wide, not a 1-pixel pen.
 */
export const MIN_BRUSH_RADIUS = 1;
export const MAX_BRUSH_RADIUS = 512;

/** Brush radius the editor starts with, in image pixels. */
export const DEFAULT_BRUSH_RADIUS = 8;
/** Magic wand tolerance the editor starts with, 0..255. */
export const DEFAULT_WAND_TOLERANCE = 16;
/** Polygon close distance the editor starts with, in image pixels. */
export const DEFAULT_POLYGON_CLOSE_DISTANCE = 5;

/** Clamps a radius to MIN_BRUSH_RADIUS..MAX_BRUSH_RADIUS; not-a-number gives the minimum. */
export function clampBrushRadius(radius: number): number {
  if (Number.isNaN(radius)) return MIN_BRUSH_RADIUS;
  return Math.min(MAX_BRUSH_RADIUS, Math.max(MIN_BRUSH_RADIUS, radius));
}

/**
 * The radius one `[` or `]` press leads to: steps of one pixel up to 10, then of about a
 * fifth, so that both fine and coarse sizes are a few presses away.
 */
export function stepBrushRadius(radius: number, direction: 1 | -1): number {
  const base = Math.round(radius);
  const step = Math.max(1, Math.round(base * 0.2));
  const isFine = direction > 0 ? base < 10 : base <= 10;
  return clampBrushRadius(isFine ? base + direction : base + direction * step);
}

/** Clamps a wand tolerance to whole numbers 0..255. */
export function clampTolerance(tolerance: number): number {
  if (Number.isNaN(tolerance)) return 0;
  return Math.min(255, Math.max(0, Math.round(tolerance)));
}

/** Whether a value may be painted as a label: a whole number 0..255 (255 = not labelled). */
export function isValidLabel(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= NOT_LABELLED;
}
