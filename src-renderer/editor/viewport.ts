/**
 * Draws the editor's canvas: the image under the current view transform, the mask as a
 * colour layer on top, and what the active tool wants shown (brush outline, polygon in
 * progress). Plain TypeScript over a canvas; React only feeds it scenes and settings.
 *
 * The mask layer is an image-sized canvas updated only in the dirty rectangle of each
 * edit, and frames are coalesced to one per animation frame, so painting on a large image
 * costs the size of the brush, not of the image.
 */
import type { ClassDef } from '../../shared/project';
import type { PixelRect } from './overlay';
import { maskRegionToRgba, proposalRegionToRgba } from './overlay';
import type { ToolOverlay } from './types';
import type { View } from './view';
import { fitView, imageToScreen, minScale, panBy, screenToImage, zoomAt } from './view';

/** What to show: one decoded image, its mask (edited in place) and the project's classes. */
export interface Scene {
  id: string;
  bitmap: ImageBitmap;
  mask: { width: number; height: number; data: Uint8Array };
  classes: readonly ClassDef[];
}

export interface OverlaySettings {
  isOverlayVisible: boolean;
  /** 0..1 */
  maskOpacity: number;
  /** Colour only each class's boundary pixels. */
  isOutlineOnly: boolean;
}

const BACKDROP = '#16181c';

export class Viewport {
  private scene: Scene | null = null;
  /** The mask in class colours at full alpha, image-sized. */
  private maskLayer: HTMLCanvasElement | null = null;
  private settings: OverlaySettings = {
    isOverlayVisible: true,
    maskOpacity: 0.5,
    isOutlineOnly: false,
  };
  private toolOverlay: ToolOverlay | null = null;
  /** The model's proposal (mask-sized class ids) and its striped layer; null for none. */
  private proposal: Uint8Array | null = null;
  private proposalLayer: HTMLCanvasElement | null = null;
  /** Device pixels per CSS pixel of the canvas. */
  private pixelRatio = 1;
  private view: View = { scale: 1, x: 0, y: 0 };
  /** True until the user zooms or pans: then a resize refits the image. */
  private isFitted = true;
  private frame: number | null = null;
  private readonly viewListeners = new Set<(view: View) => void>();

  constructor(private readonly canvas: HTMLCanvasElement) {}

  setScene(scene: Scene | null): void {
    const old = this.scene;
    const isSameImage = old?.bitmap === scene?.bitmap && old?.mask === scene?.mask;
    if (isSameImage && old?.classes === scene?.classes) return;
    this.scene = scene;
    if (!isSameImage) {
      this.fit();
      this.proposal = null;
    }
    this.rebuildMaskLayer();
    this.rebuildProposalLayer();
  }

  /** Shows a proposal for the scene's image (same size as its mask), or none. */
  setProposal(proposal: Uint8Array | null): void {
    if (proposal === this.proposal) return;
    const mask = this.scene?.mask;
    this.proposal = mask && proposal?.length === mask.data.length ? proposal : null;
    this.rebuildProposalLayer();
  }

  setOverlay(settings: OverlaySettings): void {
    const old = this.settings;
    this.settings = { ...settings };
    if (old.isOutlineOnly !== settings.isOutlineOnly) this.rebuildMaskLayer();
    else this.requestRender();
  }

  setToolOverlay(overlay: ToolOverlay | null): void {
    this.toolOverlay = overlay;
    this.requestRender();
  }

  /** Recolours the mask inside `rect` (image pixels) after an edit. */
  invalidateMask(rect: PixelRect): void {
    if (!this.scene || !this.maskLayer) return;
    const { width, height } = this.scene.mask;
    // An outline pixel depends on its neighbours: grow the region by one.
    const pad = this.settings.isOutlineOnly ? 1 : 0;
    const x = Math.max(0, rect.x - pad);
    const y = Math.max(0, rect.y - pad);
    const right = Math.min(width, rect.x + rect.width + pad);
    const bottom = Math.min(height, rect.y + rect.height + pad);
    if (right <= x || bottom <= y) return;
    this.paintMaskRegion({ x, y, width: right - x, height: bottom - y });
    // Labelling a pixel hides the proposal there.
    this.paintProposalRegion({ x: rect.x, y: rect.y, width: rect.width, height: rect.height });
    this.requestRender();
  }

  /** Matches the canvas's backing store to its CSS size, in device pixels. */
  resize(cssWidth: number, cssHeight: number, pixelRatio: number): void {
    const width = Math.max(1, Math.round(cssWidth * pixelRatio));
    const height = Math.max(1, Math.round(cssHeight * pixelRatio));
    this.pixelRatio = pixelRatio;
    if (this.canvas.width === width && this.canvas.height === height) return;
    // Setting the size clears the canvas, even to the same value: hence the check above.
    this.canvas.width = width;
    this.canvas.height = height;
    if (this.isFitted) this.fit();
    else this.render();
  }

  /** Fits the whole image into the view. */
  fit(): void {
    if (this.scene) {
      const { width, height } = this.scene.bitmap;
      this.setView(fitView(width, height, this.canvas.width, this.canvas.height));
    }
    this.isFitted = true;
  }

  /** Zooms by `factor` around a point given in CSS pixels of the canvas (default: centre). */
  zoom(factor: number, cssX?: number, cssY?: number): void {
    if (!this.scene) return;
    const sx = cssX === undefined ? this.canvas.width / 2 : cssX * this.pixelRatio;
    const sy = cssY === undefined ? this.canvas.height / 2 : cssY * this.pixelRatio;
    const { width, height } = this.scene.bitmap;
    const fitted = fitView(width, height, this.canvas.width, this.canvas.height);
    this.setView(zoomAt(this.view, sx, sy, factor, minScale(fitted)));
    this.isFitted = false;
  }

  /** Pans by CSS pixels. */
  pan(cssDx: number, cssDy: number): void {
    this.setView(panBy(this.view, cssDx * this.pixelRatio, cssDy * this.pixelRatio));
    this.isFitted = false;
  }

  /** Image coordinates (fractional pixels) of a point in CSS pixels of the canvas. */
  toImage(cssX: number, cssY: number): { x: number; y: number } {
    return screenToImage(this.view, cssX * this.pixelRatio, cssY * this.pixelRatio);
  }

  /** Image pixels per CSS pixel at the current zoom, for hit tolerances. */
  imagePixelsPerCssPixel(): number {
    return this.pixelRatio / this.view.scale;
  }

  currentView(): View {
    return { ...this.view };
  }

  onViewChange(listener: (view: View) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  requestRender(): void {
    if (this.frame !== null) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.render();
    });
  }

  render(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = BACKDROP;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    if (!this.scene) return this.markLoaded(null);

    const { scale, x, y } = this.view;
    const { width, height } = this.scene.bitmap;
    // Past 1:1 show crisp pixels: a labeller must see exactly which pixel is which.
    ctx.imageSmoothingEnabled = scale < 1;
    ctx.drawImage(this.scene.bitmap, x, y, width * scale, height * scale);
    if (this.proposalLayer && this.settings.isOverlayVisible) {
      ctx.imageSmoothingEnabled = false;
      ctx.globalAlpha = Math.max(0.35, this.settings.maskOpacity);
      ctx.drawImage(this.proposalLayer, x, y, width * scale, height * scale);
      ctx.globalAlpha = 1;
    }
    if (this.maskLayer && this.settings.isOverlayVisible) {
      ctx.imageSmoothingEnabled = false;
      ctx.globalAlpha = this.settings.isOutlineOnly ? 1 : this.settings.maskOpacity;
      ctx.drawImage(this.maskLayer, x, y, width * scale, height * scale);
      ctx.globalAlpha = 1;
    }
    if (this.toolOverlay) this.drawToolOverlay(ctx, this.toolOverlay);
    this.markLoaded(this.scene.id);
  }

  dispose(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    this.frame = null;
    this.scene = null;
    this.maskLayer = null;
    this.proposal = null;
    this.proposalLayer = null;
    this.viewListeners.clear();
    this.markLoaded(null);
  }

  private setView(view: View): void {
    this.view = view;
    for (const listener of this.viewListeners) listener(this.currentView());
    this.requestRender();
  }

  private rebuildMaskLayer(): void {
    this.maskLayer = this.scene ? imageSizedCanvas(this.scene.mask) : null;
    if (this.scene) {
      const { data, width } = this.scene.mask;
      // A new canvas is transparent: colour only the rows that hold a class, which keeps
      // opening a large, mostly unlabelled image quick.
      const rows = colouredRows(data, width);
      if (rows) {
        this.paintMaskRegion({ x: 0, y: rows.first, width, height: rows.last - rows.first + 1 });
      }
    }
    this.requestRender();
  }

  private rebuildProposalLayer(): void {
    const mask = this.scene?.mask;
    this.proposalLayer = mask && this.proposal ? imageSizedCanvas(mask) : null;
    if (mask && this.proposal) {
      this.paintProposalRegion({ x: 0, y: 0, width: mask.width, height: mask.height });
    }
    this.requestRender();
  }

  private paintProposalRegion(rect: PixelRect): void {
    const { scene, proposal } = this;
    const ctx = this.proposalLayer?.getContext('2d');
    if (!scene || !proposal || !ctx) return;
    const { data, width } = scene.mask;
    const rgba = proposalRegionToRgba(data, proposal, width, rect, scene.classes);
    ctx.putImageData(new ImageData(rgba, rect.width, rect.height), rect.x, rect.y);
  }

  private paintMaskRegion(rect: PixelRect): void {
    const scene = this.scene;
    const ctx = this.maskLayer?.getContext('2d');
    if (!scene || !ctx) return;
    const { data, width } = scene.mask;
    const rgba = maskRegionToRgba(data, width, rect, scene.classes, 1, this.settings.isOutlineOnly);
    ctx.putImageData(new ImageData(rgba, rect.width, rect.height), rect.x, rect.y);
  }

  private drawToolOverlay(ctx: CanvasRenderingContext2D, overlay: ToolOverlay): void {
    const { scale } = this.view;
    ctx.save();
    ctx.lineWidth = Math.max(1, this.pixelRatio);
    if (overlay.kind === 'brush') {
      const centre = imageToScreen(this.view, overlay.x, overlay.y);
      const radius = Math.max(1, overlay.radius * scale);
      ctx.beginPath();
      ctx.arc(centre.x, centre.y, radius, 0, Math.PI * 2);
      // Two strokes, dark under light, so the outline shows on any image.
      ctx.strokeStyle = 'rgba(0,0,0,0.7)';
      ctx.lineWidth = 3 * this.pixelRatio;
      ctx.stroke();
      ctx.strokeStyle = overlay.isEraser ? '#ffd24a' : '#ffffff';
      ctx.lineWidth = this.pixelRatio;
      if (overlay.isEraser) ctx.setLineDash([4 * this.pixelRatio, 3 * this.pixelRatio]);
      ctx.stroke();
    } else if (overlay.vertices.length > 0) {
      const points = overlay.vertices.map((v) => imageToScreen(this.view, v.x, v.y));
      if (overlay.hover) points.push(imageToScreen(this.view, overlay.hover.x, overlay.hover.y));
      ctx.beginPath();
      points.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
      const first = points[0]!;
      ctx.beginPath();
      ctx.arc(first.x, first.y, (overlay.isClosable ? 6 : 3) * this.pixelRatio, 0, Math.PI * 2);
      ctx.fillStyle = overlay.isClosable ? '#4cc38a' : '#ffffff';
      ctx.fill();
    }
    ctx.restore();
  }

  /**
   * Tells tests what is on screen: `data-loaded` is the drawn image's id and
   * `data-image-rect` its "x,y,width,height" in CSS pixels of the canvas.
   */
  private markLoaded(id: string | null): void {
    const { dataset } = this.canvas;
    if (id === null || !this.scene) {
      delete dataset.loaded;
      delete dataset.imageRect;
      return;
    }
    const { scale, x, y } = this.view;
    const { width, height } = this.scene.bitmap;
    const css = [x, y, width * scale, height * scale].map((v) => v / this.pixelRatio);
    dataset.loaded = id;
    dataset.imageRect = css.map((v) => +v.toFixed(2)).join(',');
  }
}

/** The first and last rows holding a class id (not background 0, not unlabelled 255). */
function colouredRows(mask: Uint8Array, width: number): { first: number; last: number } | null {
  let first = 0;
  while (first < mask.length && (mask[first] === 0 || mask[first] === 255)) first++;
  if (first === mask.length) return null;
  let last = mask.length - 1;
  while (mask[last] === 0 || mask[last] === 255) last--;
  return { first: Math.floor(first / width), last: Math.floor(last / width) };
}

/** A transparent canvas of the mask's size, for a layer drawn in image pixels. */
function imageSizedCanvas(size: { width: number; height: number }): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  return canvas;
}
