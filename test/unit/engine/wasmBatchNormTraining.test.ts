/**
 * Training-mode batch norm on one fused wasm kernel against tfjs's own chain (moments and
 * batchNorm) on the cpu backend: the outputs, the batch statistics, the moving averages the
 * layer keeps, and the gradients of all inputs, including gradients reaching the mean and
 * variance outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedBatchNormalization } from '../../../src-main/engine/models/batchNorm';
import { batchNormTraining } from '../../../src-main/engine/wasm/batchNormTraining';
import { initWasm } from '../../../src-main/engine/wasm/setup';
import { seededTensor, relErr } from '../../helpers/numeric';

beforeAll(async () => {
  await initWasm();
});

async function on<T>(backend: string, body: () => T): Promise<T> {
  const before = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return body();
  } finally {
    await tf.setBackend(before);
  }
}

const EPS = 1e-3;
type Norm = (x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => tf.Tensor[];

const fused: Norm = (x, scale, offset) => batchNormTraining(x, scale, offset, EPS);

const reference: Norm = (x, scale, offset) => {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  return [tf.batchNorm(x, mean, variance, offset, scale, EPS), mean, variance];
};

/** Outputs, then gradients of Σ y·r + Σ mean·u + Σ variance·v for x, scale and offset. */
function outputsAndGrads(norm: Norm, shape: number[], statGrads: boolean): Float32Array[] {
  return tf.tidy(() => {
    const c = shape[shape.length - 1]!;
    const inputs = [seededTensor(shape, 1, 0.3), seededTensor([c], 2, 0.6), seededTensor([c], 3)];
    const [r, u, v] = [seededTensor(shape, 4), seededTensor([c], 5), seededTensor([c], 6)];
    const loss = (...t: tf.Tensor[]) => {
      const [y, mean, variance] = norm(t[0]!, t[1]!, t[2]!);
      const main = tf.sum(tf.mul(y!, r));
      if (!statGrads) return main;
      return tf.addN([main, tf.sum(tf.mul(mean!, u)), tf.sum(tf.mul(variance!, v))]);
    };
    const outputs = norm(inputs[0]!, inputs[1]!, inputs[2]!);
    const grads = tf.grads(loss)(inputs);
    return [...outputs, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('the fused training batch norm on wasm', () => {
  it.each([
    [[2, 5, 7, 3], false],
    [[3, 4, 4, 16], false],
    [[2, 6, 5, 8], true],
    [[7, 4], true],
  ] as [number[], boolean][])('x %j, gradients into mean and variance: %s', async (...c) => {
    const [shape, statGrads] = c;
    const before = tf.memory().numTensors;
    const ours = outputsAndGrads(fused, shape, statGrads);
    expect(tf.memory().numTensors).toBe(before);
    const cpu = await on('cpu', () => outputsAndGrads(reference, shape, statGrads));
    expect(ours).toHaveLength(6);
    ours.forEach((values, i) => expect(relErr(values, cpu[i]!)).toBeLessThan(1e-4));
  });
});

describe('FusedBatchNormalization', () => {
  /** Two training calls, then one inference call; every output and the moving statistics. */
  function run(layer: tf.layers.Layer): Float32Array[] {
    return tf.tidy(() => {
      const x = seededTensor([2, 6, 6, 4], 7, 0.2);
      const trained = [1, 2].map(() => layer.apply(x, { training: true }) as tf.Tensor);
      const inferred = layer.apply(x) as tf.Tensor;
      const stats = layer.getWeights().slice(2);
      return [...trained, inferred, ...stats].map((t) => t.dataSync() as Float32Array);
    });
  }

  it('matches tf.layers.batchNormalization and serialises under its name', async () => {
    const args = { axis: -1, momentum: 0.9 };
    const ours = new FusedBatchNormalization(args);
    const values = run(ours);
    const cpu = await on('cpu', () => run(tf.layers.batchNormalization(args)));
    values.forEach((v, i) => expect(relErr(v, cpu[i]!)).toBeLessThan(1e-4));
    expect(ours.getClassName()).toBe('BatchNormalization');
    ours.dispose();
  });
});
