/**
 * Segmentation metrics: confusion matrix, per-class IoU and Dice, pixel accuracy and
 * boundary F1, per image and summed over a data set.
 *
 * Maps are row-major `Uint8Array`s of width × height class ids. Truth pixels equal to
 * {@link NOT_LABELLED} (255) are ignored everywhere: they count in no matrix cell, are
 * never boundary pixels, and a class change into them is not a boundary either.
 */
import { assert } from './errors';
import { NOT_LABELLED } from './project';

/** IoU and Dice of one class; null when the class is absent from both truth and prediction. */
export interface ClassScore {
  id: number;
  iou: number | null;
  dice: number | null;
}

/** What the CLI prints as JSON. Scores are null when no labelled pixel was evaluated. */
export interface EvalSummary {
  miou: number | null;
  pixelAccuracy: number | null;
  boundaryF1: number | null;
  classes: ClassScore[];
}

/** Boundary pixel counts, kept as counts so they can be summed over images before dividing. */
export interface BoundaryCounts {
  predicted: number;
  /** Predicted boundary pixels within the tolerance of a true boundary pixel. */
  predictedMatched: number;
  truth: number;
  /** True boundary pixels within the tolerance of a predicted boundary pixel. */
  truthMatched: number;
}

/** Everything {@link accumulate} needs from one image. */
export interface ImageEval {
  /** numClasses × numClasses pixel counts, row = true class, column = predicted class. */
  confusion: Float64Array;
  boundary: BoundaryCounts;
}

/**
 * Counts labelled pixels by (true class, predicted class) for classes 0..numClasses-1.
 * Float64 rather than Uint32 so sums over a data set cannot overflow (exact to 2^53).
 * Throws when a labelled pixel holds a class id ≥ numClasses in either map.
 */
export function confusionMatrix(
  pred: Uint8Array,
  truth: Uint8Array,
  numClasses: number,
): Float64Array {
  assert(pred.length === truth.length, 'prediction and truth differ in size');
  const cm = new Float64Array(numClasses * numClasses);
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i]!;
    if (t === NOT_LABELLED) continue;
    const p = pred[i]!;
    assert(t < numClasses && p < numClasses, `class id ${Math.max(t, p)} ≥ ${numClasses}`);
    cm[t * numClasses + p]! += 1;
  }
  return cm;
}

/** IoU = TP / (TP + FP + FN) and Dice = 2TP / (2TP + FP + FN) for each class 0..K-1. */
export function classScores(confusion: Float64Array, numClasses: number): ClassScore[] {
  const scores: ClassScore[] = [];
  for (let c = 0; c < numClasses; c++) {
    let truthTotal = 0;
    let predTotal = 0;
    for (let k = 0; k < numClasses; k++) {
      truthTotal += confusion[c * numClasses + k]!;
      predTotal += confusion[k * numClasses + c]!;
    }
    const tp = confusion[c * numClasses + c]!;
    const fp = predTotal - tp;
    const fn = truthTotal - tp;
    const isAbsent = tp + fp + fn === 0;
    scores.push({
      id: c,
      iou: isAbsent ? null : tp / (tp + fp + fn),
      dice: isAbsent ? null : (2 * tp) / (2 * tp + fp + fn),
    });
  }
  return scores;
}

/** Mean of the non-null IoUs, or null when every class is absent. */
export function meanIoU(scores: readonly ClassScore[]): number | null {
  const present = scores.flatMap((s) => (s.iou === null ? [] : [s.iou]));
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
}

/** Share of labelled pixels predicted correctly, or null when there are none. */
export function pixelAccuracy(confusion: Float64Array, numClasses: number): number | null {
  let correct = 0;
  let total = 0;
  for (let i = 0; i < confusion.length; i++) total += confusion[i]!;
  for (let c = 0; c < numClasses; c++) correct += confusion[c * numClasses + c]!;
  return total === 0 ? null : correct / total;
}

/**
 * Marks (1) labelled pixels of `map` with a 4-neighbour inside the image that is labelled
 * and holds a different class in `map`. Labelledness always comes from `truth`, so the
 * prediction's boundaries are judged over the same region as the truth's.
 */
export function boundaryPixels(
  map: Uint8Array,
  truth: Uint8Array,
  width: number,
  height: number,
): Uint8Array {
  const out = new Uint8Array(width * height);
  const differs = (i: number, j: number) => truth[j] !== NOT_LABELLED && map[i] !== map[j];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (truth[i] === NOT_LABELLED) continue;
      const isEdge =
        (x > 0 && differs(i, i - 1)) ||
        (x < width - 1 && differs(i, i + 1)) ||
        (y > 0 && differs(i, i - width)) ||
        (y < height - 1 && differs(i, i + width));
      if (isEdge) out[i] = 1;
    }
  }
  return out;
}

/** Index of the k-th pixel along a row or column `line`. */
type AtFn = (line: number, k: number) => number;

/**
 * Dilates a 0/1 map by a (2r+1)² square, i.e. marks pixels within Chebyshev distance r
 * of a set pixel. Separable running-window counts make it O(pixels) whatever r is.
 */
function dilateSquare(src: Uint8Array, width: number, height: number, r: number) {
  const rows = new Uint8Array(src.length);
  const out = new Uint8Array(src.length);
  const pass = (from: Uint8Array, to: Uint8Array, n: number, lines: number, at: AtFn) => {
    for (let line = 0; line < lines; line++) {
      let count = 0;
      for (let k = 0; k < Math.min(r, n); k++) count += from[at(line, k)]!;
      for (let k = 0; k < n; k++) {
        if (k + r < n) count += from[at(line, k + r)]!;
        if (k - r - 1 >= 0) count -= from[at(line, k - r - 1)]!;
        to[at(line, k)] = count > 0 ? 1 : 0;
      }
    }
  };
  pass(src, rows, width, height, (y, x) => y * width + x);
  pass(rows, out, height, width, (x, y) => y * width + x);
  return out;
}

/**
 * Boundary match counts at `tolerance` pixels, measured as Chebyshev distance (a square
 * neighbourhood, so tolerance 1 includes diagonal neighbours). Tolerance 0 requires the
 * very same pixel.
 */
export function boundaryCounts(
  pred: Uint8Array,
  truth: Uint8Array,
  width: number,
  height: number,
  tolerance = 2,
): BoundaryCounts {
  assert(pred.length === width * height && truth.length === width * height, 'size mismatch');
  const predEdge = boundaryPixels(pred, truth, width, height);
  const truthEdge = boundaryPixels(truth, truth, width, height);
  const nearTruth = dilateSquare(truthEdge, width, height, tolerance);
  const nearPred = dilateSquare(predEdge, width, height, tolerance);

  const counts: BoundaryCounts = { predicted: 0, predictedMatched: 0, truth: 0, truthMatched: 0 };
  for (let i = 0; i < predEdge.length; i++) {
    counts.predicted += predEdge[i]!;
    counts.predictedMatched += predEdge[i]! & nearTruth[i]!;
    counts.truth += truthEdge[i]!;
    counts.truthMatched += truthEdge[i]! & nearPred[i]!;
  }
  return counts;
}

/**
 * Harmonic mean of boundary precision and recall. Neither map having a boundary is
 * perfect agreement (1); only one having boundaries scores 0.
 */
export function boundaryF1(c: BoundaryCounts): number {
  if (c.predicted === 0 && c.truth === 0) return 1;
  if (c.predicted === 0 || c.truth === 0) return 0;
  const precision = c.predictedMatched / c.predicted;
  const recall = c.truthMatched / c.truth;
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** Everything needed from one image; see {@link accumulate} to turn it into scores. */
export function evaluateImage(
  pred: Uint8Array,
  truth: Uint8Array,
  width: number,
  height: number,
  numClasses: number,
  tolerance = 2,
): ImageEval {
  return {
    confusion: confusionMatrix(pred, truth, numClasses),
    boundary: boundaryCounts(pred, truth, width, height, tolerance),
  };
}

/**
 * Sums confusion matrices and boundary counts over images, then scores once, so large
 * images weigh more than small ones (pixel-level, not image-averaged, metrics).
 */
export function accumulate(evals: readonly ImageEval[], numClasses: number): EvalSummary {
  const confusion = new Float64Array(numClasses * numClasses);
  const boundary: BoundaryCounts = { predicted: 0, predictedMatched: 0, truth: 0, truthMatched: 0 };
  for (const e of evals) {
    assert(e.confusion.length === confusion.length, 'images scored with different class counts');
    for (let i = 0; i < confusion.length; i++) confusion[i]! += e.confusion[i]!;
    boundary.predicted += e.boundary.predicted;
    boundary.predictedMatched += e.boundary.predictedMatched;
    boundary.truth += e.boundary.truth;
    boundary.truthMatched += e.boundary.truthMatched;
  }

  const classes = classScores(confusion, numClasses);
  const accuracy = pixelAccuracy(confusion, numClasses);
  return {
    miou: meanIoU(classes),
    pixelAccuracy: accuracy,
    // No labelled pixel means no evidence either way, not a perfect boundary score.
    boundaryF1: accuracy === null ? null : boundaryF1(boundary),
    classes,
  };
}
