import { describe, expect, it } from 'vitest';
import {
  MAX_SCALE,
  fitView,
  imageToScreen,
  panBy,
  screenToImage,
  wheelFactor,
  zoomAt,
} from './view';

describe('view transform', () => {
  it('fits and maps screen to image and back', () => {
    const view = fitView(200, 100, 400, 400);
    expect(view).toEqual({ scale: 2, x: 0, y: 100 });
    expect(screenToImage(view, 20, 120)).toEqual({ x: 10, y: 10 });
    expect(imageToScreen(view, 10, 10)).toEqual({ x: 20, y: 120 });
  });

  it('keeps the image point under the cursor fixed while zooming', () => {
    const view = fitView(200, 100, 400, 400);
    const before = screenToImage(view, 123, 177);
    const zoomed = zoomAt(view, 123, 177, 3.7, 0.1);
    expect(zoomed.scale).toBeCloseTo(7.4);
    const after = screenToImage(zoomed, 123, 177);
    expect(after.x).toBeCloseTo(before.x, 10);
    expect(after.y).toBeCloseTo(before.y, 10);
  });

  it('clamps the scale at both ends', () => {
    const view = { scale: 1, x: 0, y: 0 };
    expect(zoomAt(view, 0, 0, 1000, 0.5).scale).toBe(MAX_SCALE);
    expect(zoomAt(view, 0, 0, 0.001, 0.5).scale).toBe(0.5);
  });

  it('pans by screen pixels and zooms in on a negative wheel delta', () => {
    expect(panBy({ scale: 2, x: 5, y: 5 }, -3, 4)).toEqual({ scale: 2, x: 2, y: 9 });
    expect(wheelFactor(-100, 0)).toBeGreaterThan(1);
    expect(wheelFactor(100, 0)).toBeLessThan(1);
    expect(wheelFactor(-3, 1)).toBeCloseTo(wheelFactor(-120, 0));
  });
});
