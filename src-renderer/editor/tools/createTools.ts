/**
 * Builds one instance of every tool over a shared context; the core switches between them.
 */
import type { ToolId } from '../types';
import { AcceptTool } from './AcceptTool';
import { BrushTool } from './BrushTool';
import { EraserTool } from './EraserTool';
import { FillTool } from './FillTool';
import { PolygonTool } from './PolygonTool';
import type { Tool, ToolContext } from './Tool';
import { WandTool } from './WandTool';

/** One tool per id, all lent the same context. */
export function createTools(ctx: ToolContext): Record<ToolId, Tool> {
  return {
    brush: new BrushTool(ctx),
    eraser: new EraserTool(ctx),
    polygon: new PolygonTool(ctx),
    fill: new FillTool(ctx),
    wand: new WandTool(ctx),
    accept: new AcceptTool(ctx),
  };
}
