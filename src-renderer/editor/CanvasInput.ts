/**
 * Turns DOM input on the editor canvas into view changes (wheel zoom at the cursor, pan
 * with the middle button or space + drag) and editor input in image pixels (every other
 * press, with the coalesced samples of each move so fast strokes stay smooth).
 */
import type { EditorCore } from './EditorCore';
import type { Viewport } from './viewport';
import { wheelFactor } from './view';

/** How near the first vertex, in CSS pixels, a click closes a polygon. */
const CLOSE_DISTANCE_CSS = 8;

export interface CanvasInputOptions {
  canvas: HTMLCanvasElement;
  viewport: Viewport;
  /** The core that edits now; null while no image is loaded or editing is locked. */
  getCore(): EditorCore | null;
}

/** Listens on the canvas and the window; `dispose()` removes every listener. */
export class CanvasInput {
  private isSpaceHeld = false;
  /** The pointer that pans, with its last position in CSS pixels. */
  private pan: { pointerId: number; x: number; y: number } | null = null;
  private drawingPointer: number | null = null;
  private readonly removers: (() => void)[] = [];

  constructor(private readonly options: CanvasInputOptions) {
    const { canvas } = options;
    this.listen(canvas, 'pointerdown', (e) => this.onPointerDown(e));
    this.listen(canvas, 'pointermove', (e) => this.onPointerMove(e));
    this.listen(canvas, 'pointerup', (e) => this.onPointerUp(e));
    this.listen(canvas, 'pointercancel', (e) => this.onPointerUp(e));
    this.listen(canvas, 'pointerleave', () => this.options.getCore()?.pointerLeave());
    this.listen(canvas, 'wheel', (e) => this.onWheel(e), { passive: false });
    this.listen(canvas, 'contextmenu', (e) => e.preventDefault());
    this.listen(window, 'keydown', (e) => this.onSpace(e, true));
    this.listen(window, 'keyup', (e) => this.onSpace(e, false));
    this.listen(window, 'blur', () => (this.isSpaceHeld = false));
    this.removers.push(options.viewport.onViewChange(() => this.updateCloseDistance()));
  }

  /** Keeps the polygon's close distance a constant size on screen whatever the zoom. */
  updateCloseDistance(): void {
    const distance = CLOSE_DISTANCE_CSS * this.options.viewport.imagePixelsPerCssPixel();
    this.options.getCore()?.setPolygonCloseDistance(distance);
  }

  dispose(): void {
    this.removers.forEach((remove) => remove());
    this.removers.length = 0;
  }

  private onPointerDown(e: PointerEvent): void {
    const isPan = e.button === 1 || (e.button === 0 && this.isSpaceHeld);
    if (isPan) {
      e.preventDefault();
      this.pan = { pointerId: e.pointerId, x: e.clientX, y: e.clientY };
      this.options.canvas.setPointerCapture(e.pointerId);
      this.options.canvas.style.cursor = 'grabbing';
      return;
    }
    const core = this.options.getCore();
    if (e.button !== 0 || !core || this.drawingPointer !== null) return;
    this.drawingPointer = e.pointerId;
    this.options.canvas.setPointerCapture(e.pointerId);
    const p = this.toImage(e);
    core.pointerDown(p.x, p.y, inputOf(e));
  }

  private onPointerMove(e: PointerEvent): void {
    if (this.pan && e.pointerId === this.pan.pointerId) {
      this.options.viewport.pan(e.clientX - this.pan.x, e.clientY - this.pan.y);
      this.pan.x = e.clientX;
      this.pan.y = e.clientY;
      return;
    }
    const core = this.options.getCore();
    if (!core) return;
    // While drawing, take every sample the browser merged into this event.
    const samples = this.drawingPointer === e.pointerId ? coalesced(e) : [e];
    for (const sample of samples) {
      const p = this.toImage(sample);
      core.pointerMove(p.x, p.y, inputOf(sample));
    }
  }

  private onPointerUp(e: PointerEvent): void {
    if (this.pan && e.pointerId === this.pan.pointerId) {
      this.pan = null;
      this.options.canvas.style.cursor = '';
      return;
    }
    if (e.pointerId !== this.drawingPointer) return;
    this.drawingPointer = null;
    const p = this.toImage(e);
    this.options.getCore()?.pointerUp(p.x, p.y, inputOf(e));
  }

  private onWheel(e: WheelEvent): void {
    e.preventDefault();
    const { x, y } = this.cssPoint(e);
    this.options.viewport.zoom(wheelFactor(e.deltaY, e.deltaMode), x, y);
  }

  private onSpace(e: KeyboardEvent, isDown: boolean): void {
    if (e.key !== ' ' || isTextInput(e.target)) return;
    this.isSpaceHeld = isDown;
    // Space would otherwise scroll or press the focused button.
    e.preventDefault();
  }

  private toImage(e: MouseEvent): { x: number; y: number } {
    const { x, y } = this.cssPoint(e);
    return this.options.viewport.toImage(x, y);
  }

  private cssPoint(e: MouseEvent): { x: number; y: number } {
    const box = this.options.canvas.getBoundingClientRect();
    return { x: e.clientX - box.left, y: e.clientY - box.top };
  }

  private listen<K extends keyof HTMLElementEventMap>(
    target: HTMLElement | Window,
    type: K,
    handler: (e: HTMLElementEventMap[K]) => void,
    options?: AddEventListenerOptions,
  ): void {
    const listener = handler as EventListener;
    target.addEventListener(type, listener, options);
    this.removers.push(() => target.removeEventListener(type, listener, options));
  }
}

function coalesced(e: PointerEvent): PointerEvent[] {
  const samples = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
  return samples.length > 0 ? samples : [e];
}

function inputOf(e: PointerEvent) {
  const { button, shiftKey, ctrlKey, metaKey, altKey } = e;
  return { button, shiftKey, ctrlKey, metaKey, altKey };
}

/** Whether key presses aimed here are typing, which shortcuts must leave alone. */
export function isTextInput(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'range', 'button', 'color'].includes(target.type);
}
