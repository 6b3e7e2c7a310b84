import { describe, expect, it } from 'vitest';
import { BACKGROUND, NOT_LABELLED } from '../../shared/project';
import { EditorCore } from './EditorCore';
import { isPixelInRect } from './rect';
import { createTestEditor } from './testDriver';
import { firstDifference, referencePolygon, referenceStroke, seededRandom } from './testReference';
import type { Point, Rect } from './types';

/** Where a reference set is 1 the mask must hold `value`; elsewhere `rest`. */
function expectPainted(mask: Uint8Array, inside: Uint8Array, value: number, rest: number) {
  const expected = Uint8Array.from(inside, (v) => (v ? value : rest));
  expect(firstDifference(mask, expected)).toBe(-1);
}

describe('EditorCore brush and eraser', () => {
  it('paints exactly the pixels within the radius of the stroke, with round caps', () => {
    const points = [
      { x: 5.3, y: 6.1 },
      { x: 40.7, y: 9.2 },
      { x: 12.2, y: 30.5 },
      { x: 12.2, y: 30.5 },
      { x: 55, y: 35 },
    ];
    const driver = createTestEditor(64, 48);
    driver.stroke(points, { tool: 'brush', label: 3, radius: 3.5 });
    expectPainted(driver.mask, referenceStroke(points, 3.5, 64, 48), 3, 0);
  });

  it('paints a single dab on a click', () => {
    const driver = createTestEditor(20, 20).click(9.5, 9.5, { tool: 'brush', label: 4, radius: 4 });
    expectPainted(driver.mask, referenceStroke([{ x: 9.5, y: 9.5 }], 4, 20, 20), 4, 0);
  });

  it('leaves no gaps between the samples of a fast stroke across a large mask', () => {
    const driver = createTestEditor(8192, 8192);
    const points = [
      { x: 10, y: 10 },
      { x: 8000, y: 8100 },
      { x: 100, y: 8100 },
    ];
    const start = performance.now();
    driver.stroke(points, { tool: 'brush', label: 1, radius: 2 });
    expect(performance.now() - start).toBeLessThan(2000);
    for (let t = 0; t <= 1; t += 0.001) {
      const x = Math.floor(10 + t * 7990);
      const y = Math.floor(10 + t * 8090);
      expect(driver.pixel(x, y)).toBe(1);
    }
    expect(driver.pixel(4000, 8100)).toBe(1);
    expect(driver.pixel(4000, 8096)).toBe(0);
  });

  it('erases to not labelled, while the brush with label 0 paints background', () => {
    const driver = createTestEditor(30, 10, { fill: 2 });
    const erase = [
      { x: 3, y: 5 },
      { x: 12, y: 5 },
    ];
    const background = [
      { x: 17, y: 5 },
      { x: 27, y: 5 },
    ];
    driver.stroke(erase, { tool: 'eraser', radius: 2 });
    driver.stroke(background, { tool: 'brush', label: BACKGROUND, radius: 2 });
    const erased = referenceStroke(erase, 2, 30, 10);
    const cleared = referenceStroke(background, 2, 30, 10);
    const expected = Uint8Array.from(erased, (e, i) => (e ? NOT_LABELLED : cleared[i] ? 0 : 2));
    expect(firstDifference(driver.mask, expected)).toBe(-1);
  });

  it('makes one undo step of a whole stroke, and undo restores the exact bytes', () => {
    const driver = createTestEditor(40, 40, { fill: 7 });
    const before = driver.snapshotMask();
    driver.stroke(
      [
        { x: 5, y: 5 },
        { x: 20, y: 8 },
        { x: 30, y: 30 },
      ],
      { label: 1, radius: 3 },
    );
    const after = driver.snapshotMask();
    expect(firstDifference(before, after)).not.toBe(-1);
    expect(driver.core.undo()).toBe(true);
    expect(firstDifference(driver.mask, before)).toBe(-1);
    expect(driver.core.canUndo).toBe(false);
    expect(driver.core.redo()).toBe(true);
    expect(firstDifference(driver.mask, after)).toBe(-1);
  });

  it('draws a straight segment from the last stroke end on shift-click', () => {
    const driver = createTestEditor(40, 20).click(5, 10, { label: 2, radius: 1.5 });
    driver.click(35, 10, { modifiers: { shiftKey: true } });
    const line = referenceStroke(
      [
        { x: 5, y: 10 },
        { x: 35, y: 10 },
      ],
      1.5,
      40,
      20,
    );
    expectPainted(driver.mask, line, 2, 0);
    driver.core.undo();
    expectPainted(driver.mask, referenceStroke([{ x: 5, y: 10 }], 1.5, 40, 20), 2, 0);
  });

  it('ignores other buttons, so the UI can pan with them', () => {
    const driver = createTestEditor(20, 20).click(10, 10, { button: 1 }).click(5, 5, { button: 2 });
    expect(driver.mask.every((v) => v === 0)).toBe(true);
    expect(driver.core.canUndo).toBe(false);
  });

  it('reverts a stroke in progress on Escape, and commits one before an undo', () => {
    const driver = createTestEditor(30, 30);
    driver.click(5, 5, { label: 1 });
    const afterClick = driver.snapshotMask();
    driver.core.pointerDown(20, 20);
    driver.core.pointerMove(25, 25);
    expect(driver.core.getSnapshot().isEditing).toBe(true);
    expect(driver.key('Escape')).toBe(true);
    expect(firstDifference(driver.mask, afterClick)).toBe(-1);
    driver.core.pointerUp(25, 25);
    expect(driver.core.getSnapshot().isEditing).toBe(false);

    driver.core.pointerDown(20, 20);
    expect(driver.key('z', { ctrlKey: true })).toBe(true);
    expect(firstDifference(driver.mask, afterClick)).toBe(-1);
    expect(driver.core.canRedo).toBe(true);
  });

  it('shows the brush preview at the pointer with the current radius', () => {
    const driver = createTestEditor(30, 30, { brushRadius: 6 });
    driver.core.pointerMove(12.25, 8.5);
    expect(driver.core.getSnapshot().overlay).toEqual({
      kind: 'brush',
      x: 12.25,
      y: 8.5,
      radius: 6,
      isEraser: false,
    });
    driver.core.setTool('eraser');
    driver.core.pointerMove(3, 4);
    expect(driver.core.getSnapshot().overlay).toMatchObject({ isEraser: true, x: 3 });
    driver.core.pointerLeave();
    expect(driver.core.getSnapshot().overlay).toBeNull();
  });
});

describe('EditorCore polygon', () => {
  const star: Point[] = [
    { x: 20, y: 2 },
    { x: 31, y: 34 },
    { x: 3, y: 13.6 },
    { x: 37, y: 13.6 },
    { x: 9.4, y: 34 },
  ];

  it('fills a self-intersecting polygon by even-odd on Enter', () => {
    const driver = createTestEditor(40, 36).clickPolygon(star, { label: 5 });
    expect(driver.mask.every((v) => v === 0)).toBe(true);
    expect(driver.key('Enter')).toBe(true);
    expectPainted(driver.mask, referencePolygon(star, 40, 36), 5, 0);
    expect(driver.core.getSnapshot().overlay).toMatchObject({ vertices: [] });
  });

  it('closes on a click near the first vertex, within the distance the UI sets', () => {
    const concave = [
      { x: 2, y: 2 },
      { x: 30, y: 2 },
      { x: 30, y: 20 },
      { x: 16, y: 8 },
      { x: 2, y: 20 },
    ];
    const driver = createTestEditor(32, 24).clickPolygon(concave, { label: 2 });
    driver.core.setPolygonCloseDistance(1);
    driver.click(3.5, 2); // 1.5 px away: a new vertex, not a close
    expect(driver.core.getSnapshot().overlay).toMatchObject({ isClosable: false });
    expect(driver.key('Backspace')).toBe(true);
    driver.core.setPolygonCloseDistance(2);
    driver.core.pointerMove(3.5, 2);
    expect(driver.core.getSnapshot().overlay).toMatchObject({ isClosable: true });
    driver.click(3.5, 2);
    expectPainted(driver.mask, referencePolygon(concave, 32, 24), 2, 0);
    expect(driver.core.canUndo).toBe(true);
  });

  it('shows vertices and hover, removes the last vertex, cancels on Escape', () => {
    const driver = createTestEditor(20, 20).clickPolygon([
      { x: 1, y: 1 },
      { x: 9, y: 1 },
    ]);
    driver.core.pointerMove(5, 7);
    expect(driver.core.getSnapshot().overlay).toEqual({
      kind: 'polygon',
      vertices: [
        { x: 1, y: 1 },
        { x: 9, y: 1 },
      ],
      hover: { x: 5, y: 7 },
      isClosable: false,
    });
    expect(driver.key('Enter')).toBe(false); // two vertices cannot be filled
    expect(driver.key('Backspace')).toBe(true);
    expect(driver.core.getSnapshot().overlay).toMatchObject({ vertices: [{ x: 1, y: 1 }] });
    expect(driver.key('Escape')).toBe(true);
    expect(driver.core.getSnapshot().overlay).toMatchObject({ vertices: [] });
    expect(driver.key('Backspace')).toBe(false);
    expect(driver.mask.every((v) => v === 0)).toBe(true);
  });

  it('drops a polygon in progress when the tool changes', () => {
    const driver = createTestEditor(20, 20).clickPolygon([
      { x: 1, y: 1 },
      { x: 9, y: 1 },
    ]);
    driver.key('b');
    driver.key('p');
    driver.click(5, 9);
    expect(driver.core.getSnapshot().overlay).toMatchObject({ vertices: [{ x: 5, y: 9 }] });
  });
});

describe('EditorCore fill and wand', () => {
  it('flood-fills the region under the click with the label as one step', () => {
    const driver = createTestEditor(6, 4);
    driver.stroke(
      [
        { x: 3, y: -2 },
        { x: 3, y: 6 },
      ],
      { radius: 1, label: 9 },
    );
    driver.click(0.5, 0.5, { tool: 'fill', label: 4 });
    const rows = [0, 1, 2, 3].map((y) => Array.from({ length: 6 }, (_, x) => driver.pixel(x, y)));
    expect(rows).toEqual(Array(4).fill([4, 4, 9, 9, 0, 0]));
    driver.key('z', { metaKey: true });
    expect(driver.pixel(0, 0)).toBe(0);
  });

  it('selects similar image pixels with the tolerance, inclusive', () => {
    const image = { data: Uint8Array.from([10, 20, 31, 12, 25, 200]), channels: 1 as const };
    const driver = createTestEditor(3, 2, { image, wandTolerance: 10 });
    driver.click(0, 0, { tool: 'wand', label: 6 });
    expect(Array.from(driver.mask)).toEqual([6, 6, 0, 6, 0, 0]);
    driver.core.undo();
    driver.core.setWandTolerance(15);
    driver.click(0, 0);
    expect(Array.from(driver.mask)).toEqual([6, 6, 0, 6, 6, 0]);
  });

  it('does nothing with the wand while no image is set', () => {
    const driver = createTestEditor(3, 2).click(1, 1, { tool: 'wand', label: 6 });
    expect(driver.core.getSnapshot().hasImage).toBe(false);
    expect(driver.mask.every((v) => v === 0)).toBe(true);
  });
});

describe('EditorCore history, dirty rectangles and saving', () => {
  /** Runs one random operation; returns nothing, the driver records rectangles. */
  function randomOperation(driver: ReturnType<typeof createTestEditor>, random: () => number) {
    const at = () => ({ x: random() * 70 - 3, y: random() * 50 - 3 });
    const kind = Math.floor(random() * 5);
    const label = Math.floor(random() * 4);
    const radius = 1 + random() * 5;
    if (kind === 0) driver.stroke([at(), at(), at()], { tool: 'brush', label, radius });
    if (kind === 1) driver.stroke([at(), at()], { tool: 'eraser', radius: 1 + random() * 3 });
    if (kind === 2) driver.clickPolygon([at(), at(), at(), at()], { label }).key('Enter');
    if (kind === 3) driver.click(random() * 64, random() * 48, { tool: 'fill', label });
    if (kind === 4) driver.click(random() * 64, random() * 48, { tool: 'wand', label });
  }

  function expectCovered(before: Uint8Array, after: Uint8Array, rects: Rect[], width: number) {
    for (let i = 0; i < after.length; i++) {
      if (before[i] === after[i]) continue;
      const x = i % width;
      const y = Math.floor(i / width);
      expect(
        rects.some((r) => isPixelInRect(r, x, y)),
        `pixel ${x},${y}`,
      ).toBe(true);
    }
  }

  it('restores byte-identical masks across 220 random operations and random undo/redo', () => {
    const random = seededRandom(2024);
    const grey = Uint8Array.from({ length: 64 * 48 }, () => random() * 60);
    const image = { data: grey, channels: 1 as const };
    const driver = createTestEditor(64, 48, { image, wandTolerance: 20 });
    const states = [driver.snapshotMask()];
    const stateIds = [driver.core.stateId];
    for (let i = 0; i < 220; i++) {
      const before = driver.snapshotMask();
      const rectCount = driver.dirtyRects.length;
      randomOperation(driver, random);
      expectCovered(before, driver.mask, driver.dirtyRects.slice(rectCount), 64);
      if (driver.core.stateId !== stateIds.at(-1)) {
        states.push(driver.snapshotMask());
        stateIds.push(driver.core.stateId);
      } else {
        expect(firstDifference(driver.mask, states.at(-1)!)).toBe(-1);
      }
    }
    expect(states.length).toBeGreaterThan(150);

    let at = states.length - 1;
    for (let i = 0; i < 500; i++) {
      const before = driver.snapshotMask();
      const rectCount = driver.dirtyRects.length;
      const isUndo = random() < 0.5 ? driver.core.canUndo : !driver.core.canRedo;
      expect(driver.key(isUndo ? 'z' : 'y', { ctrlKey: true })).toBe(true);
      at += isUndo ? -1 : 1;
      expect(firstDifference(driver.mask, states[at]!)).toBe(-1);
      expect(driver.core.stateId).toBe(stateIds[at]);
      expectCovered(before, driver.mask, driver.dirtyRects.slice(rectCount), 64);
    }
  });

  it('clears redo on a new edit after undo', () => {
    const driver = createTestEditor(20, 20).click(5, 5).click(10, 10);
    driver.key('z', { ctrlKey: true });
    expect(driver.core.canRedo).toBe(true);
    driver.click(15, 15);
    expect(driver.core.canRedo).toBe(false);
    expect(driver.key('Z', { ctrlKey: true, shiftKey: true })).toBe(false);
  });

  it('drops the oldest steps past the byte budget', () => {
    // Noisy labels do not run-length code, so each dab costs about its area in bytes.
    const random = seededRandom(8);
    const mask = Uint8Array.from({ length: 256 * 256 }, () => random() * 10);
    const driver = createTestEditor(256, 256, { mask, history: { byteBudget: 5_000 } });
    const states = [driver.snapshotMask()];
    for (let i = 0; i < 30; i++) {
      driver.click(20 + i * 7, 128, { label: 11, radius: 10 });
      states.push(driver.snapshotMask());
    }
    let undos = 0;
    while (driver.core.undo()) undos++;
    expect(undos).toBeGreaterThan(0);
    expect(undos).toBeLessThan(30);
    expect(firstDifference(driver.mask, states[30 - undos]!)).toBe(-1);
  });

  it('tracks unsaved changes by state, so undoing back to the save is clean', () => {
    const driver = createTestEditor(20, 20);
    expect(driver.core.isDirty).toBe(false);
    driver.click(5, 5);
    expect(driver.core.isDirty).toBe(true);
    const saving = driver.core.stateId;
    driver.click(9, 9); // an edit lands while the save is under way
    driver.core.markSaved(saving);
    expect(driver.core.isDirty).toBe(true);
    driver.core.undo();
    expect(driver.core.isDirty).toBe(false);
    driver.core.undo();
    expect(driver.core.getSnapshot().isDirty).toBe(true);
  });

  it('counts revisions and notifies once per input with the dirty rectangle', () => {
    const driver = createTestEditor(50, 50, { brushRadius: 2 });
    let changes = 0;
    driver.core.subscribe(() => changes++);
    const revision = driver.core.revision;
    driver.core.pointerDown(10, 10);
    expect(driver.dirtyRects).toEqual([{ x: 8, y: 8, width: 4, height: 4 }]);
    expect(changes).toBe(1);
    driver.core.pointerMove(10, 10);
    expect(driver.dirtyRects.length).toBe(1);
    driver.core.pointerUp(10, 10);
    expect(driver.core.revision).toBeGreaterThan(revision);
    const snapshot = driver.core.getSnapshot();
    expect(driver.core.getSnapshot()).toBe(snapshot);
    driver.core.setBrushRadius(3);
    expect(driver.core.getSnapshot()).not.toBe(snapshot);
  });

  it('loads a mask with replaceMask, and can paste one as an undoable step', () => {
    const driver = createTestEditor(16, 16).click(4, 4);
    const loaded = new Uint8Array(256).fill(3);
    driver.core.replaceMask(loaded);
    expect(driver.core.getMask()).toBe(loaded);
    expect(driver.core.canUndo).toBe(false);
    expect(driver.core.isDirty).toBe(false);
    expect(driver.dirtyRects.at(-1)).toEqual({ x: 0, y: 0, width: 16, height: 16 });

    const proposal = Uint8Array.from({ length: 256 }, (_, i) => (i % 16 < 8 ? 1 : 3));
    driver.core.replaceMask(proposal, { isUndoable: true });
    expect(firstDifference(driver.mask, proposal)).toBe(-1);
    expect(driver.dirtyRects.at(-1)).toEqual({ x: 0, y: 0, width: 8, height: 16 });
    driver.core.undo();
    expect(driver.mask.every((v) => v === 3)).toBe(true);
    expect(() => driver.core.replaceMask(new Uint8Array(3))).toThrow();
  });

  it('starts unlabelled by default and rejects a mask of the wrong size', () => {
    expect(new EditorCore({ width: 3, height: 2 }).getMask().every((v) => v === 255)).toBe(true);
    expect(() => new EditorCore({ width: 3, height: 2, mask: new Uint8Array(5) })).toThrow();
  });
});

describe('EditorCore keyboard', () => {
  it('switches tools with B, E, P, F, W', () => {
    const driver = createTestEditor(4, 4);
    const tools = { b: 'brush', e: 'eraser', p: 'polygon', f: 'fill', w: 'wand' };
    for (const [key, tool] of Object.entries(tools)) {
      expect(driver.key(key)).toBe(true);
      expect(driver.core.toolId).toBe(tool);
    }
    expect(driver.key('B', { shiftKey: true })).toBe(false);
    expect(driver.key('B')).toBe(true); // Caps Lock gives 'B' without Shift
    expect(driver.key('b', { ctrlKey: true })).toBe(false);
  });

  it('steps the brush size with [ and ], within 1..512', () => {
    const driver = createTestEditor(4, 4, { brushRadius: 5 });
    driver.key(']');
    expect(driver.core.getSnapshot().brushRadius).toBe(6);
    for (let i = 0; i < 60; i++) driver.key(']');
    expect(driver.core.getSnapshot().brushRadius).toBe(512);
    for (let i = 0; i < 80; i++) driver.key('[');
    expect(driver.core.getSnapshot().brushRadius).toBe(1);
    driver.core.setBrushRadius(2000);
    expect(driver.core.getSnapshot().brushRadius).toBe(512);
  });

  it('selects classes with digits through the callback, and background with 0', () => {
    const palette = [11, 12, 13];
    const core = new EditorCore({
      width: 2,
      height: 2,
      classIdForDigit: (digit) => palette[digit - 1] ?? null,
    });
    expect(core.keyDown('2')).toBe(true);
    expect(core.getSnapshot().label).toBe(12);
    expect(core.keyDown('7')).toBe(false);
    expect(core.getSnapshot().label).toBe(12);
    expect(core.keyDown('`')).toBe(true);
    expect(core.getSnapshot().label).toBe(0);
  });

  it('redoes with Ctrl+Shift+Z, Cmd+Shift+Z and Ctrl+Y', () => {
    const driver = createTestEditor(20, 20).click(5, 5).click(10, 10).click(15, 15);
    for (let i = 0; i < 3; i++) driver.key('z', { ctrlKey: true });
    expect(driver.mask.every((v) => v === 0)).toBe(true);
    expect(driver.key('Z', { ctrlKey: true, shiftKey: true })).toBe(true);
    expect(driver.key('z', { metaKey: true, shiftKey: true })).toBe(true);
    expect(driver.key('y', { ctrlKey: true })).toBe(true);
    expect(driver.core.canRedo).toBe(false);
    expect(driver.pixel(15, 15)).toBe(1);
  });

  it('leaves unbound keys to the browser', () => {
    const driver = createTestEditor(4, 4);
    expect(driver.key('q')).toBe(false);
    expect(driver.key('ArrowLeft')).toBe(false);
    expect(driver.key('Enter')).toBe(false);
  });
});
