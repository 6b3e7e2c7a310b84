/**
 * The eraser: the brush's shape, writing "not labelled" (255), which training ignores.
 * Painting background (0) is the brush with label 0, a different thing.
 */
import { NOT_LABELLED } from '../../../shared/project';
import type { ToolId } from '../types';
import { BrushTool } from './BrushTool';

/** Erases to not labelled; strokes, previews and undo behave as the brush's. */
export class EraserTool extends BrushTool {
  override readonly id: ToolId = 'eraser';

  protected override paintValue(): number {
    return NOT_LABELLED;
  }
}
