/**
 * Magic wand: a primary click fills the pixels connected to it whose image intensity or
 * colour lies within the tolerance of the clicked pixel's, as one undo step. Does nothing
 * while no image is loaded.
 */
import { selectSimilar } from '../raster/magicWand';
import type { Point, PointerInput, ToolId } from '../types';
import { BaseTool, isPrimary } from './Tool';

/** Fills a region of similar image pixels; see the module note. */
export class WandTool extends BaseTool {
  readonly id: ToolId = 'wand';

  pointerDown(point: Point, input: PointerInput): void {
    const { image, label, wandTolerance } = this.ctx.settings;
    if (!isPrimary(input) || !image) return;
    const { width, height } = this.ctx.mask;
    const x = Math.floor(point.x);
    const y = Math.floor(point.y);
    const edit = this.ctx.beginEdit();
    selectSimilar(image, width, height, x, y, wandTolerance, (row, x0, x1) => {
      edit.writeSpan(row, x0, x1, label);
    });
    this.ctx.commitEdit(edit);
  }
}
