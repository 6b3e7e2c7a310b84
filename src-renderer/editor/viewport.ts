/**
 * Draws the viewer's canvas: the image fitted to the view, the mask as a colour overlay
 * on top. Plain TypeScript over a canvas, so the editor's tools can grow here without
 * React; the component only feeds it scenes, settings and sizes.
 */
import type { MaskData } from '../../shared/ipc';
import type { ClassDef } from '../../shared/project';
import type { FitRect } from './overlay';
import { fitRect, maskToRgba } from './overlay';

/** What to show: one decoded image, its mask and the project's classes. */
export interface Scene {
  id: string;
  bitmap: ImageBitmap;
  mask: MaskData;
  classes: readonly ClassDef[];
}

export interface OverlaySettings {
  isOverlayVisible: boolean;
  /** 0..1 */
  maskOpacity: number;
}

const BACKDROP = '#16181c';

export class Viewport {
  private scene: Scene | null = null;
  /** The mask in class colours at full alpha, image-sized; rebuilt only when the mask changes. */
  private maskLayer: HTMLCanvasElement | null = null;
  private settings: OverlaySettings = { isOverlayVisible: true, maskOpacity: 0.5 };
  /** Device pixels per CSS pixel of the canvas. */
  private pixelRatio = 1;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  setScene(scene: Scene | null): void {
    const old = this.scene;
    const isSame = old?.bitmap === scene?.bitmap && old?.mask === scene?.mask;
    if (isSame && old?.classes === scene?.classes) return;
    this.scene = scene;
    this.maskLayer = scene ? buildMaskLayer(scene.mask, scene.classes) : null;
    this.render();
  }

  setOverlay(settings: OverlaySettings): void {
    const old = this.settings;
    const isVisibleSame = old.isOverlayVisible === settings.isOverlayVisible;
    if (isVisibleSame && old.maskOpacity === settings.maskOpacity) return;
    this.settings = { ...settings };
    this.render();
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
    this.render();
  }

  /** Where the image lies on the canvas, in device pixels; null with no scene. */
  imageRect(): FitRect | null {
    if (!this.scene) return null;
    const { width, height } = this.scene.bitmap;
    return fitRect(width, height, this.canvas.width, this.canvas.height);
  }

  render(): void {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = BACKDROP;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const rect = this.imageRect();
    if (!this.scene || !rect) return this.markLoaded(null, null);

    // Past 1:1 show crisp pixels: a labeller must see exactly which pixel is which.
    ctx.imageSmoothingEnabled = rect.scale <= 1;
    ctx.drawImage(this.scene.bitmap, rect.x, rect.y, rect.width, rect.height);
    if (this.maskLayer && this.settings.isOverlayVisible) {
      ctx.globalAlpha = this.settings.maskOpacity;
      ctx.drawImage(this.maskLayer, rect.x, rect.y, rect.width, rect.height);
      ctx.globalAlpha = 1;
    }
    this.markLoaded(this.scene.id, rect);
  }

  dispose(): void {
    this.scene = null;
    this.maskLayer = null;
    this.markLoaded(null, null);
  }

  /**
   * Tells tests what is on screen: `data-loaded` is the drawn image's id and
   * `data-image-rect` its "x,y,width,height" in CSS pixels of the canvas.
   */
  private markLoaded(id: string | null, rect: FitRect | null): void {
    const { dataset } = this.canvas;
    if (id === null || rect === null) {
      delete dataset.loaded;
      delete dataset.imageRect;
      return;
    }
    const css = [rect.x, rect.y, rect.width, rect.height].map((v) => v / this.pixelRatio);
    dataset.loaded = id;
    dataset.imageRect = css.map((v) => +v.toFixed(2)).join(',');
  }
}

function buildMaskLayer(mask: MaskData, classes: readonly ClassDef[]): HTMLCanvasElement {
  const layer = document.createElement('canvas');
  layer.width = mask.width;
  layer.height = mask.height;
  const rgba = maskToRgba(mask.data, classes, 1);
  layer.getContext('2d')?.putImageData(new ImageData(rgba, mask.width, mask.height), 0, 0);
  return layer;
}
