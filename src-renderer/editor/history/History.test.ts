import { describe, expect, it } from 'vitest';
import { firstDifference, seededRandom } from '../testReference';
import type { MaskBuffer } from '../types';
import { History } from './History';
import { MaskEdit } from './MaskEdit';
import { unpackBytes } from './packBytes';

function blankMask(width: number, height: number, value = 0): MaskBuffer {
  return { width, height, data: new Uint8Array(width * height).fill(value) };
}

/** Writes a random block of random rows, as one edit, and records it. */
function randomEdit(mask: MaskBuffer, history: History, random: () => number): void {
  const edit = new MaskEdit(mask);
  const x = Math.floor(random() * mask.width);
  const y = Math.floor(random() * mask.height);
  const w = 1 + Math.floor(random() * 90);
  const h = 1 + Math.floor(random() * 90);
  for (let row = y; row < y + h; row++) {
    edit.writeSpan(row, x + Math.floor(random() * 5), x + w, Math.floor(random() * 4));
  }
  history.push(edit.finish());
}

describe('MaskEdit', () => {
  it('keeps patches of changed pixels only, cropped within each tile', () => {
    const mask = blankMask(300, 200);
    const edit = new MaskEdit(mask);
    edit.writeSpan(10, 5, 200, 0);
    edit.writeSpan(100, 70, 72, 4);
    edit.writeSpan(150, -20, 2, 9);
    const patches = edit.finish();
    expect(patches.map(({ x, y, width, height }) => ({ x, y, width, height }))).toEqual([
      { x: 70, y: 100, width: 3, height: 1 },
      { x: 0, y: 150, width: 3, height: 1 },
    ]);
    expect(Array.from(unpackBytes(patches[0]!.before))).toEqual([0, 0, 0]);
    expect(Array.from(unpackBytes(patches[0]!.after))).toEqual([4, 4, 4]);
  });

  it('reverts to the exact bytes it started from', () => {
    const random = seededRandom(3);
    const mask = blankMask(130, 70);
    mask.data.forEach((_, i) => (mask.data[i] = Math.floor(random() * 256)));
    const original = mask.data.slice();
    const edit = new MaskEdit(mask);
    for (let y = 0; y < 70; y += 3) edit.writeSpan(y, y, y + 60, 7);
    expect(edit.takeDirty()).not.toBeNull();
    const restored = edit.revert();
    expect(mask.data).toEqual(original);
    expect(restored).toEqual({ x: 0, y: 0, width: 130, height: 70 });
  });

  it('reports a dirty rectangle of only the pixels that changed value', () => {
    const mask = blankMask(50, 50);
    mask.data.fill(3, 10 * 50 + 10, 10 * 50 + 40);
    const edit = new MaskEdit(mask);
    edit.writeSpan(10, 0, 49, 3);
    expect(edit.takeDirty()).toEqual({ x: 0, y: 10, width: 50, height: 1 });
    edit.writeSpan(10, 12, 30, 3);
    expect(edit.takeDirty()).toBeNull();
  });
});

describe('History', () => {
  it('restores byte-identical masks over 250 random steps of undo and redo', () => {
    const random = seededRandom(42);
    const mask = blankMask(257, 191);
    const history = new History();
    const states: Uint8Array[] = [mask.data.slice()];
    for (let i = 0; i < 250; i++) {
      randomEdit(mask, history, random);
      states.push(mask.data.slice());
    }
    expect(history.undoDepth).toBe(250);

    let at = 250;
    for (let i = 0; i < 600; i++) {
      const isUndo = random() < 0.55 ? history.canUndo : !history.canRedo;
      if (isUndo) history.undo(mask);
      else history.redo(mask);
      at += isUndo ? -1 : 1;
      expect(firstDifference(mask.data, states[at]!)).toBe(-1);
    }
    while (history.canUndo) history.undo(mask);
    expect(firstDifference(mask.data, states[0]!)).toBe(-1);
    while (history.canRedo) history.redo(mask);
    expect(firstDifference(mask.data, states[250]!)).toBe(-1);
  });

  it('clears redo when a new edit follows an undo', () => {
    const random = seededRandom(5);
    const mask = blankMask(64, 64);
    const history = new History();
    randomEdit(mask, history, random);
    randomEdit(mask, history, random);
    history.undo(mask);
    expect(history.canRedo).toBe(true);
    randomEdit(mask, history, random);
    expect(history.canRedo).toBe(false);
    expect(history.redo(mask)).toBeNull();
    expect(history.undoDepth).toBe(2);
  });

  it('drops the oldest steps past the byte budget, and undo then stops there', () => {
    /** Paints row `value` with `value`: steps of equal shape, so of equal cost. */
    function paintRow(mask: MaskBuffer, history: History, value: number) {
      const edit = new MaskEdit(mask);
      edit.writeSpan(value, 0, 99, value);
      return history.push(edit.finish())!;
    }
    const stepBytes = paintRow(blankMask(100, 100), new History(), 1).bytes;
    const budget = 3 * stepBytes + 10;
    const mask = blankMask(100, 100);
    const history = new History({ byteBudget: budget });
    const states = [mask.data.slice()];
    for (let value = 1; value <= 5; value++) {
      paintRow(mask, history, value);
      states.push(mask.data.slice());
    }
    expect(history.byteSize).toBe(3 * stepBytes);
    expect(history.undoDepth).toBe(3);
    while (history.canUndo) history.undo(mask);
    expect(mask.data).toEqual(states[2]);
  });

  it('keeps the newest step even when it alone is over the budget', () => {
    const mask = blankMask(64, 64);
    const history = new History({ byteBudget: 10 });
    const edit = new MaskEdit(mask);
    edit.writeSpan(0, 0, 63, 1);
    history.push(edit.finish());
    expect(history.canUndo).toBe(true);
  });

  it('caps the number of steps', () => {
    const random = seededRandom(9);
    const mask = blankMask(64, 64);
    const history = new History({ maxSteps: 200 });
    for (let i = 0; i < 230; i++) randomEdit(mask, history, random);
    expect(history.undoDepth).toBeLessThanOrEqual(200);
    expect(history.undoDepth).toBeGreaterThan(150);
  });

  it('ignores edits that changed nothing and names states by serial', () => {
    const mask = blankMask(16, 16);
    const history = new History();
    const start = history.stateSerial;
    const edit = new MaskEdit(mask);
    edit.writeSpan(0, 0, 15, 0);
    expect(history.push(edit.finish())).toBeNull();
    expect(history.stateSerial).toBe(start);

    const real = new MaskEdit(mask);
    real.writeSpan(0, 0, 15, 2);
    history.push(real.finish());
    const after = history.stateSerial;
    expect(after).not.toBe(start);
    history.undo(mask);
    expect(history.stateSerial).toBe(start);
    history.redo(mask);
    expect(history.stateSerial).toBe(after);
  });

  it('keeps a whole-mask fill small, run-length coded', () => {
    const mask = blankMask(2048, 2048);
    const history = new History();
    const edit = new MaskEdit(mask);
    for (let y = 0; y < 2048; y++) edit.writeSpan(y, 0, 2047, 5);
    const step = history.push(edit.finish())!;
    expect(step.bytes).toBeLessThan(2048 * 2048 * 0.1);
    history.undo(mask);
    expect(mask.data.every((v) => v === 0)).toBe(true);
    history.redo(mask);
    expect(mask.data.every((v) => v === 5)).toBe(true);
  });

  it('stores only the tiles a long thin stroke touched on a large mask', () => {
    const mask = blankMask(4096, 4096);
    const history = new History();
    const edit = new MaskEdit(mask);
    for (let y = 0; y < 4096; y++) edit.writeSpan(y, y - 2, y + 2, 1);
    const step = history.push(edit.finish());
    // A diagonal 5 px wide: about 20k changed bytes, far from the 16 MiB bounding box.
    expect(step!.bytes).toBeLessThan(2 * 64 * 64 * 130);
  });
});
