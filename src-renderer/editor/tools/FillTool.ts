/**
 * Flood fill: a primary click fills the 4-connected region of equal mask value under it
 * with the current label, as one undo step.
 */
import { floodFillMask } from '../raster/floodFill';
import type { Point, PointerInput, ToolId } from '../types';
import { BaseTool, isPrimary } from './Tool';

/** Fills a region of the mask; see the module note. */
export class FillTool extends BaseTool {
  readonly id: ToolId = 'fill';

  pointerDown(point: Point, input: PointerInput): void {
    if (!isPrimary(input)) return;
    const edit = this.ctx.beginEdit();
    const x = Math.floor(point.x);
    const y = Math.floor(point.y);
    floodFillMask(this.ctx.mask, x, y, this.ctx.settings.label, (row, x0, x1, value) => {
      edit.writeSpan(row, x0, x1, value);
    });
    this.ctx.commitEdit(edit);
  }
}
