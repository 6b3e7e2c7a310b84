/**
 * A tiny tf.layers model using every layer kind SkipSeg's architectures train (conv, batch
 * norm, pooling, up-sampling, transposed conv, concat and add skips, separable and dilated
 * convs) trains on the wasm backend: no missing kernel, loss going down, no tensor leaked.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../../../src-main/engine/wasm/setup';

beforeAll(async () => {
  await initWasm();
});

/** 16×16×3 in, per-pixel softmax over 2 classes out. */
function tinySegmenter(): tf.LayersModel {
  const input = tf.input({ shape: [16, 16, 3] });
  const conv = (filters: number, extra: Partial<Parameters<typeof tf.layers.conv2d>[0]> = {}) =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', ...extra });

  const encoder = conv(8).apply(input) as tf.SymbolicTensor;
  const normed = tf.layers.batchNormalization().apply(encoder) as tf.SymbolicTensor;
  const relu = tf.layers.reLU().apply(normed) as tf.SymbolicTensor;
  const down = tf.layers.maxPooling2d({ poolSize: 2 }).apply(relu) as tf.SymbolicTensor;
  // Linear dilated conv: the fused path whose tfjs gradient refuses dilation.
  const atrous = conv(8, { dilationRate: 2 }).apply(down) as tf.SymbolicTensor;
  const sep = tf.layers
    .separableConv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' })
    .apply(atrous) as tf.SymbolicTensor;
  const upsampled = tf.layers.upSampling2d({ size: [2, 2] }).apply(sep) as tf.SymbolicTensor;
  const transposed = tf.layers
    .conv2dTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' })
    .apply(down) as tf.SymbolicTensor;
  const added = tf.layers.add().apply([upsampled, transposed]) as tf.SymbolicTensor;
  const skip = tf.layers.concatenate().apply([added, relu]) as tf.SymbolicTensor;
  const strided = conv(4, { strides: 2, activation: 'relu' }).apply(skip) as tf.SymbolicTensor;
  const back = tf.layers.upSampling2d({ size: [2, 2] }).apply(strided) as tf.SymbolicTensor;
  const output = tf.layers
    .conv2d({ filters: 2, kernelSize: 1, activation: 'softmax' })
    .apply(back) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

describe('training a tf.layers model on wasm', () => {
  it('takes five steps with the loss going down and no tensor leaked', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const model = tinySegmenter();
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 7);
    // Class 1 wherever the red channel is bright: learnable from the input.
    const bright = tf.greater(tf.slice(x, [0, 0, 0, 0], [2, 16, 16, 1]), 0.5);
    const y = tf.oneHot(tf.cast(tf.squeeze(bright, [3]), 'int32'), 2);

    const first = (await model.trainOnBatch(x, y)) as number;
    const tensorsAfterFirst = tf.memory().numTensors;
    const losses: number[] = [];
    for (let step = 0; step < 5; step++) losses.push((await model.trainOnBatch(x, y)) as number);

    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[4]!).toBeLessThan(first);
    expect(tf.getBackend()).toBe('wasm');
    tf.dispose([x, bright, y]);
    model.dispose();
  });
});
