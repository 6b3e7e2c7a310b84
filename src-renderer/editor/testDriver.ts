/**
 * Drives an EditorCore the way a canvas would, for tests: strokes, clicks and key presses
 * in image pixels, and a record of every dirty rectangle the core reported.
 */
import { EditorCore, type EditorCoreOptions } from './EditorCore';
import type { Modifiers, Point, PointerInput, Rect, ToolId } from './types';

/** Settings a gesture applies before it starts; absent ones stay as they are. */
export interface GestureOptions {
  tool?: ToolId;
  label?: number;
  radius?: number;
  /** Held through the whole gesture. */
  modifiers?: Modifiers;
}

/** Simulated input on one core. */
export class EditorTestDriver {
  /** Every rectangle passed to mask listeners, in order. */
  readonly dirtyRects: Rect[] = [];

  constructor(readonly core: EditorCore) {
    core.onMaskChange((rect) => this.dirtyRects.push(rect));
  }

  /** The live mask. */
  get mask(): Uint8Array {
    return this.core.getMask();
  }

  /** The mask value of pixel (x, y). */
  pixel(x: number, y: number): number {
    return this.mask[y * this.core.width + x]!;
  }

  /** Presses at the first point, moves through the rest and releases at the last. */
  stroke(points: readonly Point[], options: GestureOptions = {}): this {
    const first = points[0];
    if (!first) return this;
    this.apply(options);
    const input: PointerInput = { ...options.modifiers, button: 0 };
    this.core.pointerDown(first.x, first.y, input);
    for (const p of points.slice(1)) this.core.pointerMove(p.x, p.y, input);
    const last = points.at(-1) ?? first;
    this.core.pointerUp(last.x, last.y, input);
    return this;
  }

  /** Moves to (x, y), presses and releases there. */
  click(x: number, y: number, options: GestureOptions & { button?: number } = {}): this {
    this.apply(options);
    const input: PointerInput = { ...options.modifiers, button: options.button ?? 0 };
    this.core.pointerMove(x, y, input);
    this.core.pointerDown(x, y, input);
    this.core.pointerUp(x, y, input);
    return this;
  }

  /** Clicks each vertex in turn with the polygon tool (it does not close the polygon). */
  clickPolygon(vertices: readonly Point[], options: Omit<GestureOptions, 'tool'> = {}): this {
    this.apply({ ...options, tool: 'polygon' });
    for (const v of vertices) this.click(v.x, v.y);
    return this;
  }

  /** Presses a key; returns whether the core used it. */
  key(key: string, modifiers: Modifiers = {}): boolean {
    return this.core.keyDown(key, modifiers);
  }

  /** A copy of the mask as it is now. */
  snapshotMask(): Uint8Array {
    return this.mask.slice();
  }

  private apply(options: GestureOptions): void {
    if (options.tool) this.core.setTool(options.tool);
    if (options.label !== undefined) this.core.setLabel(options.label);
    if (options.radius !== undefined) this.core.setBrushRadius(options.radius);
  }
}

/** A core of the given size with a driver on it; the mask starts all `fill` (default 0). */
export function createTestEditor(
  width: number,
  height: number,
  options: Partial<EditorCoreOptions> & { fill?: number } = {},
): EditorTestDriver {
  const mask = options.mask ?? new Uint8Array(width * height).fill(options.fill ?? 0);
  return new EditorTestDriver(new EditorCore({ ...options, width, height, mask }));
}
