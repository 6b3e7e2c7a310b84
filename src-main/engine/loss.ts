/**
 * The training loss: class-weighted cross-entropy plus soft Dice, both over labelled
 * pixels only, so partially labelled masks (255 = not labelled) train without bias.
 */
import * as tf from '@tensorflow/tfjs';
import { assert } from '../../shared/errors';
import { NOT_LABELLED } from '../../shared/project';

export interface SegmentationLossOptions {
  /** One weight per class 0..K-1 for the cross-entropy term. Default: all 1. */
  classWeights?: number[];
  /** Factor on the soft Dice term; 0 leaves plain cross-entropy. Default 1. */
  diceWeight?: number;
  /** Probabilities are clipped to [eps, 1 − eps] before the log. Default 1e-7. */
  eps?: number;
  /** Added to a class's Dice numerator and denominator, so an absent class scores 1. Default 1. */
  diceSmooth?: number;
}

/**
 * Scalar loss for softmax output `probs` [N,H,W,K] (float32) against `target` [N,H,W]
 * class ids (int32 or float; 255 = ignore). Returns a new scalar the caller disposes
 * (inside `optimizer.minimize` tfjs does); inputs are not disposed.
 *
 * - Cross-entropy: Σ w[y]·(−log p[y]) / Σ w[y] over labelled pixels, the weighted mean
 *   PyTorch uses, so rescaling all weights leaves the loss unchanged.
 * - Dice: 1 − mean over classes of (2·Σ p·y + s) / (Σ p + Σ y + s), sums over the batch's
 *   labelled pixels (unweighted by class).
 *
 * Ignored pixels get zero gradient from both terms; an all-ignored batch gives exactly 0.
 * Ids in 0..K-1 are expected; any other id except 255 contributes nothing.
 */
export function segmentationLoss(
  probs: tf.Tensor4D,
  target: tf.Tensor3D,
  opts: SegmentationLossOptions = {},
): tf.Scalar {
  const numClasses = probs.shape[3];
  const eps = opts.eps ?? 1e-7;
  const smooth = opts.diceSmooth ?? 1;
  const diceWeight = opts.diceWeight ?? 1;
  assert(
    !opts.classWeights || opts.classWeights.length === numClasses,
    `need ${numClasses} class weights, got ${opts.classWeights?.length}`,
  );

  return tf.tidy(() => {
    const ids = tf.cast(target, 'int32');
    const isLabelled = tf.notEqual(ids, NOT_LABELLED);
    // oneHot of an ignored pixel (id → 0, then masked) is all zeros: no term sees it.
    const safeIds = tf.where(isLabelled, ids, tf.zerosLike(ids));
    const labelled = tf.cast(isLabelled, 'float32').expandDims(-1);
    const onehot = tf.cast(tf.oneHot(safeIds, numClasses), 'float32').mul(labelled);

    const weights = opts.classWeights;
    const pixelWeight = weights ? onehot.mul(tf.tensor1d(weights)) : onehot;
    const logProbs = tf.log(tf.clipByValue(probs, eps, 1 - eps));
    const ceSum = tf.neg(tf.sum(pixelWeight.mul(logProbs)));
    const weightSum = tf.sum(pixelWeight);
    // Guarded denominator: with no labelled pixels both sums are 0 and the term is 0.
    const ce = ceSum.div(tf.maximum(weightSum, 1e-12));
    if (diceWeight === 0) return ce as tf.Scalar;

    const masked = probs.mul(labelled);
    const inter = tf.sum(masked.mul(onehot), [0, 1, 2]);
    const total = tf.sum(masked, [0, 1, 2]).add(tf.sum(onehot, [0, 1, 2]));
    const dice = inter.mul(2).add(smooth).div(total.add(smooth));
    const diceLoss = tf.scalar(1).sub(tf.mean(dice));
    return ce.add(diceLoss.mul(diceWeight)) as tf.Scalar;
  });
}

/**
 * Cross-entropy class weights from pixel counts per class (index = class id):
 * inverse square root of frequency, milder than median-frequency balancing, which lets a
 * rare class outweigh the background a hundredfold. Scaled so present classes average 1;
 * a class with no pixels gets 1, as nothing is known about it.
 */
export function classWeightsFromCounts(counts: readonly number[]): number[] {
  const raw = counts.map((n) => (n > 0 ? 1 / Math.sqrt(n) : 0));
  const present = counts.filter((n) => n > 0).length;
  const rawSum = raw.reduce((a, b) => a + b, 0);
  if (present === 0) return counts.map(() => 1);
  return raw.map((w, c) => ((counts[c] ?? 0) > 0 ? (w * present) / rawSum : 1));
}
