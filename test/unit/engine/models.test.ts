import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerConvGradients } from '../../../src-main/engine/gradients';
import {
  ARCHITECTURES,
  buildModel,
  gflopsPerImage,
  intermediateNames,
  withIntermediates,
  type ArchId,
} from '../../../src-main/engine/models';

const ARCHS = Object.keys(ARCHITECTURES) as ArchId[];
const SIZE = 32;
const DEPTH = 3;

// Small enough for the pure-JS cpu backend, whose conv filter gradient is the slow part: one
// 32×32 image trains 10 steps in a few seconds per architecture.
function tiny(classes: number, inputChannels: number) {
  return { classes, inputChannels, base: 4, depth: DEPTH };
}

/** One image of a bright square on dim noise, and its one-hot mask (square = class 1). */
function brightSquare(classes: number): { x: tf.Tensor4D; y: tf.Tensor4D } {
  return tf.tidy(() => {
    const mask = tf.buffer([1, SIZE, SIZE], 'int32');
    for (let r = 6; r < 20; r++) for (let c = 10; c < 27; c++) mask.set(1, 0, r, c);
    const labels = mask.toTensor();
    const noise = tf.randomUniform([1, SIZE, SIZE, 1], 0, 0.3, 'float32', 7);
    const x = labels.toFloat().expandDims(-1).mul(0.7).add(noise) as tf.Tensor4D;
    return { x, y: tf.oneHot(labels, classes).toFloat() as tf.Tensor4D };
  });
}

function expectedNames(arch: ArchId): string[] {
  const skips = (levels: number[]) =>
    levels.flatMap((l) => ['encoder', 'upsampled', 'fused'].map((role) => `skip${l}/${role}`));
  const everyLevel = Array.from({ length: DEPTH }, (_, level) => level);
  switch (arch) {
    case 'encdec':
      return everyLevel.flatMap((l) => [`decoder${l}/upsampled`, `decoder${l}/features`]);
    case 'unet':
    case 'unet-res':
      return skips(everyLevel);
    case 'fcn8s':
      return skips([DEPTH - 2, DEPTH - 1]);
    case 'deeplabv3plus':
      return skips([2]);
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerConvGradients();
});

describe.each(ARCHS)('%s', (arch) => {
  it.each([
    [2, 1],
    [2, 3],
    [3, 1],
    [3, 3],
  ])('predicts probabilities for %i classes from %i channels', (classes, channels) => {
    const before = tf.memory().numTensors;
    const model = buildModel(arch, tiny(classes, channels));
    const afterBuild = tf.memory().numTensors;

    const x = tf.randomUniform([2, SIZE, SIZE, channels]);
    const probs = model.predict(x) as tf.Tensor;
    expect(probs.shape).toEqual([2, SIZE, SIZE, classes]);
    const worst = tf.tidy(() => probs.sum(-1).sub(1).abs().max().dataSync()[0] ?? Infinity);
    expect(worst).toBeLessThan(1e-5);
    tf.dispose([x, probs]);
    expect(tf.memory().numTensors).toBe(afterBuild);

    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('exposes its intermediates by name, each at stride 2^level', () => {
    const before = tf.memory().numTensors;
    const model = buildModel(arch, tiny(2, 1));
    const view = withIntermediates(model, arch);
    const names = intermediateNames(model, arch);
    expect(names).toEqual(expectedNames(arch));
    expect(view.outputNames).toEqual(['probabilities', ...names]);

    const x = tf.randomUniform([1, SIZE, SIZE, 1]);
    const outputs = view.predict(x) as tf.Tensor[];
    names.forEach((name, i) => {
      const side = SIZE / 2 ** Number(/\d+/.exec(name)?.[0]);
      expect(outputs[i + 1]?.shape.slice(1, 3), name).toEqual([side, side]);
    });
    tf.dispose([x, ...outputs]);

    // The view's dispose() must leave the shared weights to the model.
    view.dispose();
    expect(() => tf.tidy(() => void model.predict(tf.zeros([1, SIZE, SIZE, 1])))).not.toThrow();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('learns bright squares in 10 Adam steps, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const { x, y } = brightSquare(2);
    // DeepLabV3+'s dilated convs train through SkipSeg's own Conv2D gradient.
    const model = buildModel(arch, tiny(2, 1));
    const optimizer = tf.train.adam(1e-2);

    const losses: number[] = [];
    for (let step = 0; step < 10; step++) {
      const loss = optimizer.minimize(() => {
        const probs = model.apply(x, { training: true }) as tf.Tensor;
        return tf.metrics.categoricalCrossentropy(y, probs).mean() as tf.Scalar;
      }, true);
      losses.push((await loss?.data())?.[0] ?? NaN);
      loss?.dispose();
    }
    expect(losses.at(-1)).toBeLessThan(0.8 * (losses[0] ?? 0));

    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('catalogue', () => {
  it('refuses configs it cannot build', () => {
    const grey = { classes: 2, inputChannels: 1 };
    expect(() => buildModel('unet', { ...grey, classes: 1 })).toThrow(/classes/);
    expect(() => buildModel('unet', { ...grey, inputSize: 40 })).toThrow(/2\^depth/);
    expect(() => buildModel('fcn8s', { ...grey, depth: 1 })).toThrow(/depth/);
  });

  it('counts GFLOPs as 2 × multiply-adds of convs, leaking nothing', () => {
    // Hand count for depth 1, base 2, 8×8 grey input, 2 classes: encoder 3×3 convs 1→2, 2→2
    // at 8×8 and 2→4, 4→4 at 4×4; a 2×2 transposed conv 4→2 from 4×4; decoder 3×3 convs
    // 2→2 twice at 8×8; 1×1 head 2→2.
    const macs = 64 * 9 * (2 + 4) + 16 * 9 * (8 + 16) + 16 * 4 * 8 + 64 * 9 * 8 + 64 * 4;
    const cfg = { classes: 2, inputChannels: 1, base: 2, depth: 1, norm: 'none' as const };
    const before = tf.memory().numTensors;
    expect(gflopsPerImage('encdec', cfg, 8)).toBeCloseTo((2 * macs) / 1e9, 12);
    expect(tf.memory().numTensors).toBe(before);
  });
});
