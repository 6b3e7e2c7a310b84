/**
 * The brush: a round stroke of the current label. Each pointer sample extends the stroke
 * by the capsule from the previous sample, so fast moves leave no gaps and ends are round.
 * One stroke, pointer down to up, is one undo step. Shift-click draws a straight segment
 * from where the last stroke ended.
 */
import type { MaskEdit } from '../history/MaskEdit';
import { rasterizeCapsule } from '../raster/capsule';
import type { Point, PointerInput, ToolId, ToolOverlay } from '../types';
import { BaseTool, isPrimary } from './Tool';

/** Paints the current label; see the module note. */
export class BrushTool extends BaseTool {
  readonly id: ToolId = 'brush';
  private edit: MaskEdit | null = null;
  private lastPoint: Point | null = null;
  private hover: Point | null = null;

  pointerDown(point: Point, input: PointerInput): void {
    this.hover = point;
    this.ctx.overlayChanged();
    if (!isPrimary(input)) return;
    this.settle();
    const from = input.shiftKey && this.lastPoint ? this.lastPoint : point;
    this.edit = this.ctx.beginEdit();
    this.paint(from, point);
  }

  override pointerMove(point: Point): void {
    this.hover = point;
    this.ctx.overlayChanged();
    const last = this.lastPoint;
    if (!this.edit || !last || (last.x === point.x && last.y === point.y)) return;
    this.paint(last, point);
  }

  override pointerUp(point: Point, input: PointerInput): void {
    if (!this.edit || !isPrimary(input)) return;
    this.pointerMove(point);
    this.settle();
  }

  override pointerLeave(): void {
    this.hover = null;
    this.ctx.overlayChanged();
  }

  override settle(): void {
    if (!this.edit) return;
    this.ctx.commitEdit(this.edit);
    this.edit = null;
  }

  override cancel(): boolean {
    if (!this.edit) return false;
    this.ctx.revertEdit(this.edit);
    this.edit = null;
    this.lastPoint = null;
    return true;
  }

  override overlay(): ToolOverlay | null {
    if (!this.hover) return null;
    const { x, y } = this.hover;
    const isEraser = this.id === 'eraser';
    return { kind: 'brush', x, y, radius: this.ctx.settings.brushRadius, isEraser };
  }

  /** The mask value this tool writes. */
  protected paintValue(): number {
    return this.ctx.settings.label;
  }

  /** Writes one row span of the stroke; tools that paint per-pixel values override it. */
  protected writeSpan(edit: MaskEdit, y: number, x0: number, x1: number): void {
    edit.writeSpan(y, x0, x1, this.paintValue());
  }

  private paint(from: Point, to: Point): void {
    const edit = this.edit;
    if (!edit) return;
    const { width, height } = this.ctx.mask;
    const radius = this.ctx.settings.brushRadius;
    rasterizeCapsule(from, to, radius, width, height, (y, x0, x1) => {
      this.writeSpan(edit, y, x0, x1);
    });
    this.lastPoint = { x: to.x, y: to.y };
    this.ctx.flushEdit(edit);
  }
}
