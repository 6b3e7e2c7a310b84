/**
 * Shapes shared by the editor core, its tools and the code that draws them. Every
 * coordinate here is in image pixels: floats, where pixel (x, y) covers [x, x+1) × [y, y+1)
 * and its centre is (x + 0.5, y + 0.5).
 */

/** A point in image pixels. */
export interface Point {
  x: number;
  y: number;
}

/** An axis-aligned rectangle of whole image pixels; `width` and `height` are at least 1. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A mask the editor writes into: `width * height` class ids, row-major. */
export interface MaskBuffer {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * The image under the mask, for the magic wand: `width * height * channels` bytes,
 * row-major, channels interleaved (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA).
 */
export interface ImagePixels {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly channels: 1 | 2 | 3 | 4;
}

/** Modifier keys held during a pointer or key event; absent means not held. */
export interface Modifiers {
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** A pointer event's extras: `button` as in DOM PointerEvent (0 primary, the default). */
export interface PointerInput extends Modifiers {
  button?: number;
}

/** The editing tools, by the name the UI and the shortcut table use. */
export type ToolId = 'brush' | 'eraser' | 'polygon' | 'fill' | 'wand' | 'accept';

/** What a tool wants drawn over the mask while it is active. */
export type ToolOverlay =
  | { kind: 'brush'; x: number; y: number; radius: number; isEraser: boolean }
  | { kind: 'polygon'; vertices: readonly Point[]; hover: Point | null; isClosable: boolean };

/** Receives a run of pixels x0..x1 (inclusive, whole pixels) of row y. */
export type SpanWriter = (y: number, x0: number, x1: number) => void;
