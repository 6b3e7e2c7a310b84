import { describe, expect, it } from 'vitest';
import { referenceRegion, seededRandom } from '../testReference';
import type { MaskBuffer } from '../types';
import { floodFillMask } from './floodFill';

/** A mask from rows of digits, one character per pixel. */
function maskOf(rows: string[]): MaskBuffer {
  const width = rows[0]!.length;
  const data = Uint8Array.from(rows.join(''), (c) => Number(c));
  return { width, height: rows.length, data };
}

function rowsOf(mask: MaskBuffer): string[] {
  const rows: string[] = [];
  for (let y = 0; y < mask.height; y++) {
    rows.push(Array.from(mask.data.subarray(y * mask.width, (y + 1) * mask.width)).join(''));
  }
  return rows;
}

function fill(mask: MaskBuffer, x: number, y: number, value: number): number {
  let spans = 0;
  floodFillMask(mask, x, y, value, (row, x0, x1, v) => {
    spans++;
    mask.data.fill(v, row * mask.width + x0, row * mask.width + x1 + 1);
  });
  return spans;
}

describe('floodFillMask', () => {
  it('stops at a wall and fills around a concave pocket', () => {
    const mask = maskOf(['000100', '010100', '010100', '010000', '011110']);
    fill(mask, 0, 0, 7);
    expect(rowsOf(mask)).toEqual(['777177', '717177', '717177', '717777', '711117']);
  });

  it('does not cross diagonal-only connections', () => {
    const mask = maskOf(['0011', '0011', '1100', '1100']);
    fill(mask, 0, 0, 5);
    expect(rowsOf(mask)).toEqual(['5511', '5511', '1100', '1100']);
  });

  it('fills only pixels of the seed value, not others of a different value', () => {
    const mask = maskOf(['2220', '2120', '2220']);
    fill(mask, 1, 1, 9);
    expect(rowsOf(mask)).toEqual(['2220', '2920', '2220']);
  });

  it('does nothing when the seed already has the value or lies outside', () => {
    const mask = maskOf(['11', '11']);
    expect(fill(mask, 0, 0, 1)).toBe(0);
    expect(fill(mask, -1, 0, 3)).toBe(0);
    expect(fill(mask, 2, 0, 3)).toBe(0);
    expect(rowsOf(mask)).toEqual(['11', '11']);
  });

  it('fills a spiral maze, one span per run, without recursion', () => {
    const size = 401;
    const data = new Uint8Array(size * size);
    // Concentric square walls with one gap each make a long winding corridor.
    for (let ring = 1; ring * 2 < size; ring += 2) {
      const lo = ring;
      const hi = size - 1 - ring;
      for (let i = lo; i <= hi; i++) {
        data[lo * size + i] = data[hi * size + i] = data[i * size + lo] = data[i * size + hi] = 1;
      }
      data[lo * size + (ring % 4 === 1 ? lo + 1 : hi - 1)] = 0;
    }
    const mask = { width: size, height: size, data };
    fill(mask, 0, 0, 2);
    expect(data.includes(0)).toBe(false);
  });

  it('matches a breadth-first reference on random masks of a few values', () => {
    const random = seededRandom(17);
    for (let trial = 0; trial < 60; trial++) {
      const width = 5 + Math.floor(random() * 40);
      const height = 5 + Math.floor(random() * 30);
      const levels = 2 + (trial % 3);
      const data = Uint8Array.from({ length: width * height }, () => Math.floor(random() * levels));
      const x = Math.floor(random() * width);
      const y = Math.floor(random() * height);
      const original = data.slice();
      const target = original[y * width + x]!;
      const region = referenceRegion(width, height, x, y, (i) => original[i] === target);
      fill({ width, height, data }, x, y, 9);
      const expected = Uint8Array.from(original, (v, i) => (region[i] ? 9 : v));
      expect(data).toEqual(expected);
    }
  });

  it('refuses a writer that does not write, instead of looping for ever', () => {
    const mask = maskOf(['00', '00']);
    expect(() => floodFillMask(mask, 0, 0, 1, () => {})).toThrow(/not taken/);
  });

  it('fills a 4096² mask in well under a few seconds', () => {
    const size = 4096;
    const data = new Uint8Array(size * size);
    for (let y = 0; y < size; y += 2) data[y * size + (y % 4 === 0 ? 0 : size - 1)] = 1;
    const start = performance.now();
    fill({ width: size, height: size, data }, size >> 1, size >> 1, 3);
    expect(performance.now() - start).toBeLessThan(5000);
    expect(data.filter((v) => v === 0).length).toBe(0);
  });
});
