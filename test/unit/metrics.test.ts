import { describe, expect, it } from 'vitest';
import {
  accumulate,
  boundaryCounts,
  boundaryF1,
  boundaryPixels,
  classScores,
  confusionMatrix,
  evaluateImage,
  meanIoU,
  pixelAccuracy,
} from '../../shared/metrics';
import { mulberry32 } from '../../src-main/engine/augment';

const X = 255;
const map = (rows: number[][]) => Uint8Array.from(rows.flat());

// Truth has classes 0, 1, 2 and two ignored pixels (bottom right).
const truth = map([
  [0, 0, 1, 1],
  [0, 0, 1, 1],
  [2, 2, 1, 1],
  [2, 2, X, X],
]);
const pred = map([
  [0, 0, 0, 1],
  [0, 0, 1, 1],
  [2, 0, 1, 1],
  [2, 2, 1, 2],
]);

describe('pixel metrics', () => {
  it('counts labelled pixels only, row = truth, column = prediction', () => {
    expect([...confusionMatrix(pred, truth, 3)]).toEqual([4, 0, 0, 1, 5, 0, 1, 0, 3]);
  });

  it('scores IoU, Dice, mean IoU and pixel accuracy exactly', () => {
    const cm = confusionMatrix(pred, truth, 3);
    const scores = classScores(cm, 3);
    expect(scores).toEqual([
      { id: 0, iou: 4 / 6, dice: 8 / 10 },
      { id: 1, iou: 5 / 6, dice: 10 / 11 },
      { id: 2, iou: 3 / 4, dice: 6 / 7 },
    ]);
    expect(meanIoU(scores)).toBe((4 / 6 + 5 / 6 + 3 / 4) / 3);
    expect(pixelAccuracy(cm, 3)).toBe(12 / 14);
  });

  it('gives null to a class absent from truth and prediction, leaving mean IoU alone', () => {
    const scores = classScores(confusionMatrix(pred, truth, 4), 4);
    expect(scores[3]).toEqual({ id: 3, iou: null, dice: null });
    expect(meanIoU(scores)).toBe((4 / 6 + 5 / 6 + 3 / 4) / 3);
  });

  it('ignores whatever is predicted on not-labelled pixels', () => {
    const onIgnored = map([[3, 3]]);
    const scores = classScores(confusionMatrix(onIgnored, map([[X, X]]), 4), 4);
    expect(scores.every((s) => s.iou === null && s.dice === null)).toBe(true);
    expect(pixelAccuracy(confusionMatrix(onIgnored, map([[X, X]]), 4), 4)).toBeNull();
  });

  it('refuses a labelled class id outside 0..K-1', () => {
    expect(() => confusionMatrix(map([[5]]), map([[0]]), 3)).toThrow(/class id 5/);
  });
});

const rows4 = (row: number[]) => map([row, row, row, row]);

describe('boundary F1', () => {
  it('needs the same pixel at tolerance 0 and accepts a one-pixel shift at tolerance 1', () => {
    const t = rows4([0, 0, 1, 1]);
    const p = rows4([0, 0, 0, 1]);
    const strict = boundaryCounts(p, t, 4, 4, 0);
    expect(strict).toEqual({ predicted: 8, predictedMatched: 4, truth: 8, truthMatched: 4 });
    expect(boundaryF1(strict)).toBe(0.5);
    expect(boundaryF1(boundaryCounts(p, t, 4, 4, 1))).toBe(1);
  });

  it('does not count the edge of the not-labelled region as a boundary', () => {
    const t = rows4([0, 0, X, X]);
    expect([...boundaryPixels(t, t, 4, 4)].every((v) => v === 0)).toBe(true);
    expect(boundaryF1(boundaryCounts(rows4([0, 0, 1, 1]), t, 4, 4, 0))).toBe(1);
    expect(boundaryF1(boundaryCounts(rows4([0, 1, 1, 1]), t, 4, 4, 0))).toBe(0);
  });

  it('matches a brute-force Chebyshev search on random maps', () => {
    const random = mulberry32(7);
    const [w, h, r] = [13, 9, 2];
    const t = Uint8Array.from({ length: w * h }, () => Math.floor(random() * 3));
    const p = Uint8Array.from({ length: w * h }, () => Math.floor(random() * 3));
    t[5] = X;
    const near = (edges: Uint8Array, x: number, y: number) => {
      for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
        for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
          if (edges[yy * w + xx]) return 1;
        }
      }
      return 0;
    };
    const pe = boundaryPixels(p, t, w, h);
    const te = boundaryPixels(t, t, w, h);
    const want = { predicted: 0, predictedMatched: 0, truth: 0, truthMatched: 0 };
    for (let i = 0; i < w * h; i++) {
      const [x, y] = [i % w, Math.floor(i / w)];
      want.predicted += pe[i]!;
      want.truth += te[i]!;
      if (pe[i]) want.predictedMatched += near(te, x, y);
      if (te[i]) want.truthMatched += near(pe, x, y);
    }
    expect(boundaryCounts(p, t, w, h, r)).toEqual(want);
  });
});

describe('accumulate', () => {
  it('sums matrices and boundary counts over images before scoring', () => {
    const a = evaluateImage(rows4([0, 0, 1, 1]), rows4([0, 0, 1, 1]), 4, 4, 2, 0);
    const b = evaluateImage(rows4([0, 0, 0, 1]), rows4([0, 0, 1, 1]), 4, 4, 2, 0);
    const summary = accumulate([a, b], 2);
    // Class 0: TP 16, FP 4; class 1: TP 12, FN 4. Boundaries: 12 of 16 matched each way.
    expect(summary).toEqual({
      miou: (16 / 20 + 12 / 16) / 2,
      pixelAccuracy: 28 / 32,
      boundaryF1: 0.75,
      classes: [
        { id: 0, iou: 16 / 20, dice: 32 / 36 },
        { id: 1, iou: 12 / 16, dice: 24 / 28 },
      ],
    });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('reports nulls rather than NaN when nothing was labelled', () => {
    const none = evaluateImage(map([[1, 0]]), map([[X, X]]), 2, 1, 2);
    expect(accumulate([none], 2)).toEqual({
      miou: null,
      pixelAccuracy: null,
      boundaryF1: null,
      classes: [
        { id: 0, iou: null, dice: null },
        { id: 1, iou: null, dice: null },
      ],
    });
    expect(accumulate([], 2).miou).toBeNull();
  });
});
