/**
 * The polygon: each primary click adds a vertex; clicking near the first vertex (within
 * `polygonCloseDistance`, which the UI sets from the zoom) or pressing Enter closes and
 * fills it with the current label. Backspace takes back a vertex, Escape drops them all.
 */
import { rasterizePolygon } from '../raster/polygon';
import type { Point, PointerInput, ToolId, ToolOverlay } from '../types';
import { BaseTool, isPrimary } from './Tool';

/** Fewest vertices a polygon can be filled with. */
export const MIN_POLYGON_VERTICES = 3;

/** Clicks out a polygon and fills it; see the module note. */
export class PolygonTool extends BaseTool {
  readonly id: ToolId = 'polygon';
  // Replaced, never mutated, so an overlay handed out stays as it was.
  private vertices: readonly Point[] = [];
  private hover: Point | null = null;

  pointerDown(point: Point, input: PointerInput): void {
    this.hover = point;
    if (!isPrimary(input)) return;
    if (this.isNearFirst(point)) {
      // Clicking the start again never adds a vertex; with too few it just does nothing.
      if (this.vertices.length >= MIN_POLYGON_VERTICES) this.close();
      return;
    }
    this.vertices = [...this.vertices, { x: point.x, y: point.y }];
    this.ctx.overlayChanged();
  }

  override pointerMove(point: Point): void {
    this.hover = point;
    this.ctx.overlayChanged();
  }

  override pointerLeave(): void {
    this.hover = null;
    this.ctx.overlayChanged();
  }

  override confirm(): boolean {
    if (this.vertices.length < MIN_POLYGON_VERTICES) return false;
    this.close();
    return true;
  }

  override removeLastPoint(): boolean {
    if (this.vertices.length === 0) return false;
    this.vertices = this.vertices.slice(0, -1);
    this.ctx.overlayChanged();
    return true;
  }

  override cancel(): boolean {
    if (this.vertices.length === 0) return false;
    this.vertices = [];
    this.ctx.overlayChanged();
    return true;
  }

  override deactivate(): void {
    this.cancel();
    this.hover = null;
  }

  override overlay(): ToolOverlay | null {
    if (this.vertices.length === 0 && !this.hover) return null;
    const isClosable =
      this.vertices.length >= MIN_POLYGON_VERTICES && !!this.hover && this.isNearFirst(this.hover);
    return { kind: 'polygon', vertices: this.vertices, hover: this.hover, isClosable };
  }

  private isNearFirst(point: Point): boolean {
    const first = this.vertices[0];
    if (!first) return false;
    const limit = this.ctx.settings.polygonCloseDistance;
    return Math.hypot(point.x - first.x, point.y - first.y) <= limit;
  }

  private close(): void {
    const { width, height } = this.ctx.mask;
    const value = this.ctx.settings.label;
    const edit = this.ctx.beginEdit();
    rasterizePolygon(this.vertices, width, height, (y, x0, x1) => {
      edit.writeSpan(y, x0, x1, value);
    });
    this.ctx.commitEdit(edit);
    this.vertices = [];
    this.ctx.overlayChanged();
  }
}
