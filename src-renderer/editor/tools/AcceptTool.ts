/**
 * The accept brush: the brush's shape, taking the model's proposal under it. Only pixels
 * that are not labelled change, so a stroke across the user's own labels leaves them be.
 */
import { NOT_LABELLED } from '../../../shared/project';
import type { MaskEdit } from '../history/MaskEdit';
import type { ToolId } from '../types';
import { BrushTool } from './BrushTool';

/** Accepts the proposal inside the stroke; with no proposal loaded it does nothing. */
export class AcceptTool extends BrushTool {
  override readonly id: ToolId = 'accept';

  protected override writeSpan(edit: MaskEdit, y: number, x0: number, x1: number): void {
    const proposal = this.ctx.settings.proposal;
    if (!proposal) return;
    const { data, width } = this.ctx.mask;
    const row = y * width;
    const bytes = data.slice(row + x0, row + x1 + 1);
    let isChanged = false;
    for (let i = 0; i < bytes.length; i++) {
      const offered = proposal[row + x0 + i]!;
      if (bytes[i] !== NOT_LABELLED || offered === NOT_LABELLED) continue;
      bytes[i] = offered;
      isChanged = true;
    }
    if (isChanged) edit.writeBytes(y, x0, bytes);
  }
}
