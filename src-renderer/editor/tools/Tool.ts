/**
 * The contract between the editor core and its tools. A tool is a small state machine
 * fed pointer input in image pixels; it writes the mask only through edits it opens on
 * its context, so the core can report dirty rectangles and record history.
 */
import type { MaskEdit } from '../history/MaskEdit';
import type { ImagePixels, MaskBuffer, Point, PointerInput, ToolId, ToolOverlay } from '../types';

/** The editor settings a tool reads; owned and validated by the core. */
export interface ToolSettings {
  /** The class id painted and filled: 1..254, 0 for background (255 is the eraser's). */
  label: number;
  /** Brush and eraser radius in image pixels. */
  brushRadius: number;
  /** Magic wand tolerance, 0..255 inclusive. */
  wandTolerance: number;
  /** How near the first vertex, in image pixels, a click closes a polygon. */
  polygonCloseDistance: number;
  /** The image under the mask, for the magic wand; null when not loaded. */
  image: ImagePixels | null;
  /** The model's proposal, mask-sized class ids, for the accept brush; null when none. */
  proposal: Uint8Array | null;
}

/** What the core lends a tool. */
export interface ToolContext {
  readonly mask: MaskBuffer;
  readonly settings: Readonly<ToolSettings>;
  /** Opens an edit on the mask; the tool must commit or revert it. */
  beginEdit(): MaskEdit;
  /** Reports what the open edit changed since the last flush. */
  flushEdit(edit: MaskEdit): void;
  /** Flushes the edit and records it as one undo step. */
  commitEdit(edit: MaskEdit): void;
  /** Puts back everything the edit wrote, and reports it. */
  revertEdit(edit: MaskEdit): void;
  /** Says the tool's overlay (preview, vertices) changed. */
  overlayChanged(): void;
}

/** A tool's reactions to input. Methods returning boolean say whether input was used. */
export interface Tool {
  readonly id: ToolId;
  pointerDown(point: Point, input: PointerInput): void;
  pointerMove(point: Point, input: PointerInput): void;
  pointerUp(point: Point, input: PointerInput): void;
  /** The pointer left the canvas: hide previews. */
  pointerLeave(): void;
  /** Enter: finish the shape in progress. */
  confirm(): boolean;
  /** Backspace: take back the last point placed. */
  removeLastPoint(): boolean;
  /** Commits a mask edit in progress, as before an undo. */
  settle(): void;
  /** Escape: abandons work in progress, reverting any half-done edit. */
  cancel(): boolean;
  /** Another tool takes over. */
  deactivate(): void;
  /** What to draw over the mask now, or null. */
  overlay(): ToolOverlay | null;
}

/** Do-nothing defaults, so each tool spells out only what it reacts to. */
export abstract class BaseTool implements Tool {
  abstract readonly id: ToolId;

  constructor(protected readonly ctx: ToolContext) {}

  abstract pointerDown(point: Point, input: PointerInput): void;

  pointerMove(_point: Point, _input: PointerInput): void {}

  pointerUp(_point: Point, _input: PointerInput): void {}

  pointerLeave(): void {}

  confirm(): boolean {
    return false;
  }

  removeLastPoint(): boolean {
    return false;
  }

  settle(): void {}

  cancel(): boolean {
    return false;
  }

  deactivate(): void {
    this.settle();
  }

  overlay(): ToolOverlay | null {
    return null;
  }
}

/** Whether the input is a primary-button press (the default when `button` is absent). */
export function isPrimary(input: PointerInput): boolean {
  return (input.button ?? 0) === 0;
}
