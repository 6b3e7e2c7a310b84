import { describe, expect, it } from 'vitest';
import { fitRect, maskRegionToRgba, maskToRgba, parseHexColor, UNKNOWN_CLASS_RGB } from './overlay';

const classes = [
  { id: 1, name: 'membrane', color: '#ff3b30' },
  { id: 2, name: 'nucleus', color: '#0A84FF' },
];

function pixel(rgba: Uint8ClampedArray, i: number): number[] {
  return Array.from(rgba.subarray(i * 4, i * 4 + 4));
}

describe('maskToRgba', () => {
  it('paints each class in its colour and leaves background and not-labelled clear', () => {
    const mask = Uint8Array.from([0, 1, 2, 255, 1]);
    const rgba = maskToRgba(mask, classes, 0.5);

    expect(rgba.length).toBe(20);
    expect(pixel(rgba, 0)).toEqual([0, 0, 0, 0]);
    expect(pixel(rgba, 1)).toEqual([255, 59, 48, 128]);
    expect(pixel(rgba, 2)).toEqual([10, 132, 255, 128]);
    expect(pixel(rgba, 3)).toEqual([0, 0, 0, 0]);
    expect(pixel(rgba, 4)).toEqual([255, 59, 48, 128]);
  });

  it('draws ids no class defines in the fallback colour', () => {
    const rgba = maskToRgba(Uint8Array.from([7]), classes, 1);
    expect(pixel(rgba, 0)).toEqual([...UNKNOWN_CLASS_RGB, 255]);
  });

  it('clamps alpha to 0..1', () => {
    expect(pixel(maskToRgba(Uint8Array.from([1]), classes, 3), 0)[3]).toBe(255);
    expect(pixel(maskToRgba(Uint8Array.from([1]), classes, -1), 0)[3]).toBe(0);
  });

  it('handles an empty mask', () => {
    expect(maskToRgba(new Uint8Array(0), classes, 0.5).length).toBe(0);
  });
});

describe('parseHexColor', () => {
  it('reads #rrggbb in either case and refuses anything else', () => {
    expect(parseHexColor('#FF3b30')).toEqual([255, 59, 48]);
    expect(parseHexColor('red')).toBeNull();
    expect(parseHexColor('#fff')).toBeNull();
  });
});

describe('fitRect', () => {
  it('fits a wide image to the width and centres it vertically', () => {
    const rect = fitRect(200, 100, 400, 400);
    expect(rect).toEqual({ x: 0, y: 100, width: 400, height: 200, scale: 2 });
  });

  it('fits a tall image to the height and centres it horizontally', () => {
    const rect = fitRect(100, 400, 300, 200);
    expect(rect).toEqual({ x: 125, y: 0, width: 50, height: 200, scale: 0.5 });
  });

  it('floors the offset to whole pixels', () => {
    const rect = fitRect(512, 512, 801, 600);
    expect(rect.scale).toBeCloseTo(600 / 512);
    expect(rect).toMatchObject({ x: 100, y: 0, width: 600, height: 600 });
  });

  it('gives an empty rect for an empty image or view', () => {
    expect(fitRect(0, 10, 100, 100).scale).toBe(0);
    expect(fitRect(10, 10, 0, 100)).toEqual({ x: 0, y: 0, width: 0, height: 0, scale: 0 });
  });
});

describe('maskRegionToRgba', () => {
  const classes = [{ id: 1, name: 'cell', color: '#ff0000' }];
  // 4×3 mask: a 2×2 block of class 1 in the middle-left, background elsewhere.
  const mask = Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0]);

  it('colours a sub-rectangle the same as the whole mask does', () => {
    const whole = maskToRgba(mask, classes, 1);
    const part = maskRegionToRgba(mask, 4, { x: 1, y: 1, width: 2, height: 2 }, classes, 1, false);
    for (let row = 0; row < 2; row++) {
      const from = ((row + 1) * 4 + 1) * 4;
      expect([...part.subarray(row * 8, row * 8 + 8)]).toEqual([...whole.subarray(from, from + 8)]);
    }
  });

  it('keeps only boundary pixels in outline mode', () => {
    const big = new Uint8Array(25).fill(0);
    for (let y = 1; y < 4; y++) for (let x = 1; x < 4; x++) big[y * 5 + x] = 1;
    const rgba = maskRegionToRgba(big, 5, { x: 0, y: 0, width: 5, height: 5 }, classes, 1, true);
    const alphaAt = (x: number, y: number) => rgba[(y * 5 + x) * 4 + 3];
    expect(alphaAt(2, 2)).toBe(0);
    expect(alphaAt(1, 1)).toBe(255);
    expect(alphaAt(2, 3)).toBe(255);
    expect(alphaAt(0, 0)).toBe(0);
  });
});
