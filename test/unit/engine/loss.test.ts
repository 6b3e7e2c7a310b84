import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classWeightsFromCounts, segmentationLoss } from '../../../src-main/engine/loss';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Evaluates the loss and frees every tensor it made. */
function lossOf(probs: number[][], target: number[], opts = {}): number {
  return tf.tidy(() => {
    const p = tf.tensor4d(probs.flat(), [1, 1, probs.length, probs[0]!.length]);
    const t = tf.tensor3d(target, [1, 1, target.length], 'int32');
    return segmentationLoss(p, t, opts).arraySync() as number;
  });
}

const probs = [
  [0.8, 0.2],
  [0.4, 0.6],
];

describe('segmentationLoss', () => {
  it('computes cross-entropy by hand for a 1×1×2×2 case', () => {
    const ce = (-Math.log(0.8) - Math.log(0.6)) / 2;
    expect(lossOf(probs, [0, 1], { diceWeight: 0 })).toBeCloseTo(ce, 6);
  });

  it('weights cross-entropy by class and normalises by the weight sum', () => {
    const ce = (-Math.log(0.8) - 3 * Math.log(0.6)) / 4;
    expect(lossOf(probs, [0, 1], { diceWeight: 0, classWeights: [1, 3] })).toBeCloseTo(ce, 6);
  });

  it('adds soft Dice over classes', () => {
    const ce = (-Math.log(0.8) - Math.log(0.6)) / 2;
    // Class 0: 2·0.8 over 1.2 + 1; class 1: 2·0.6 over 0.8 + 1; smoothing 1 on both sides.
    const dice = 1 - ((1.6 + 1) / (2.2 + 1) + (1.2 + 1) / (1.8 + 1)) / 2;
    expect(lossOf(probs, [0, 1])).toBeCloseTo(ce + dice, 6);
    expect(lossOf(probs, [0, 1], { diceWeight: 0.5 })).toBeCloseTo(ce + 0.5 * dice, 6);
  });

  it('lets ignored pixels change nothing', () => {
    const base = lossOf(probs, [0, 1]);
    expect(lossOf([...probs, [0.99, 0.01]], [0, 1, 255])).toBeCloseTo(base, 6);
    expect(lossOf([...probs, [0.01, 0.99]], [0, 1, 255])).toBeCloseTo(base, 6);
    expect(lossOf([[1e-12, 1], ...probs], [255, 0, 1], { classWeights: [2, 5] })).toBeCloseTo(
      lossOf(probs, [0, 1], { classWeights: [2, 5] }),
      6,
    );
  });

  it('gives 0, not NaN, for an all-ignored batch', () => {
    expect(lossOf(probs, [255, 255])).toBe(0);
    expect(lossOf(probs, [255, 255], { classWeights: [1, 4] })).toBe(0);
  });

  it('is near 0 for a perfect prediction, even with probabilities of exactly 0 and 1', () => {
    const loss = lossOf(
      [
        [1, 0],
        [0, 1],
        [1, 0],
      ],
      [0, 1, 0],
    );
    expect(loss).toBeGreaterThanOrEqual(0);
    expect(loss).toBeLessThan(1e-5);
  });

  it('accepts float class ids', () => {
    const value = tf.tidy(() => {
      const p = tf.tensor4d(probs.flat(), [1, 1, 2, 2]);
      const t = tf.tensor3d([1, 255], [1, 1, 2], 'float32');
      return segmentationLoss(p, t, { diceWeight: 0 }).arraySync();
    });
    expect(value).toBeCloseTo(-Math.log(0.2), 6);
  });

  it('has zero gradient on ignored pixels and a finite one elsewhere', () => {
    const grad = tf.tidy(() => {
      const p = tf.tensor4d([0.7, 0.3, 0.5, 0.5, 0.1, 0.9, 0, 1], [1, 2, 2, 2]);
      const t = tf.tensor3d([0, 255, 1, 255], [1, 2, 2], 'int32');
      const f = (x: tf.Tensor) => segmentationLoss(x as tf.Tensor4D, t);
      return tf.grad(f)(p).arraySync() as number[][][][];
    });
    const pixels = grad[0]!.flat();
    expect(pixels[1]).toEqual([0, 0]);
    expect(pixels[3]).toEqual([0, 0]);
    for (const i of [0, 2]) {
      expect(pixels[i]!.every(Number.isFinite)).toBe(true);
      expect(pixels[i]!.some((g) => g !== 0)).toBe(true);
    }
  });

  it('leaks no tensors', () => {
    const p = tf.tensor4d(probs.flat(), [1, 1, 2, 2]);
    const t = tf.tensor3d([0, 255], [1, 1, 2], 'int32');
    const before = tf.memory().numTensors;
    segmentationLoss(p, t, { classWeights: [1, 2] }).dispose();
    const g = tf.grad((x: tf.Tensor) => segmentationLoss(x as tf.Tensor4D, t))(p);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([p, t]);
  });
});

describe('classWeightsFromCounts', () => {
  it('uses inverse square-root frequency, averaging 1 over present classes', () => {
    const weights = classWeightsFromCounts([100, 25, 0]);
    expect(weights[0]).toBeCloseTo(2 / 3, 12);
    expect(weights[1]).toBeCloseTo(4 / 3, 12);
    expect(weights[2]).toBe(1);
    expect(classWeightsFromCounts([0, 0])).toEqual([1, 1]);
  });
});
