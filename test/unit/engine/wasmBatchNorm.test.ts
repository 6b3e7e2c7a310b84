/**
 * SkipSeg's FusedBatchNorm gradient (broadcast instead of Tile) against autodiff of the
 * same formula written with elementwise ops, on wasm and cpu, for all five inputs and for
 * batch statistics from `moments` as tf.layers uses them in training.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../../../src-main/engine/wasm/setup';
import { seededTensor, relErr } from '../../helpers/numeric';

beforeAll(async () => {
  await initWasm();
});

const EPS = 1e-3;

/** y = (x − mean)/√(var + ε)·scale + offset, with ops whose gradients tfjs already has. */
function byHand(x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, offset: tf.Tensor, scale: tf.Tensor) {
  return tf.add(tf.mul(tf.div(tf.sub(x, m), tf.sqrt(tf.add(v, EPS))), scale), offset);
}

function fused(x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, offset: tf.Tensor, scale: tf.Tensor) {
  return tf.batchNorm(x, m, v, offset, scale, EPS);
}

type Norm = typeof fused;

/** Gradients of Σ norm(·)·r with respect to x, mean, variance, offset and scale. */
function paramGrads(norm: Norm, shape: number[]): Float32Array[] {
  return tf.tidy(() => {
    const c = shape[shape.length - 1]!;
    // x, mean, variance (kept positive), offset, scale.
    const inputs = [seededTensor(shape, 1), seededTensor([c], 2), seededTensor([c], 3, 0.2)];
    inputs.push(seededTensor([c], 4), seededTensor([c], 5));
    const r = seededTensor(shape, 6);
    const loss = (...t: tf.Tensor[]) => tf.sum(tf.mul(norm(t[0]!, t[1]!, t[2]!, t[3]!, t[4]!), r));
    return tf
      .grads(loss)(inputs)
      .map((g) => g.dataSync() as Float32Array);
  });
}

/** Gradient with respect to x when mean and variance are the batch's own, as in training. */
function trainingGrad(norm: Norm, shape: number[]): Float32Array {
  return tf.tidy(() => {
    const c = shape[shape.length - 1]!;
    const [offset, scale, r] = [seededTensor([c], 4), seededTensor([c], 5), seededTensor(shape, 6)];
    const axes = shape.slice(0, -1).map((_, i) => i);
    const loss = (x: tf.Tensor) => {
      const { mean, variance } = tf.moments(x, axes);
      return tf.sum(tf.mul(norm(x, mean, variance, offset, scale), r));
    };
    return tf.grad(loss)(seededTensor(shape, 1)).dataSync() as Float32Array;
  });
}

describe('the FusedBatchNorm gradient', () => {
  for (const backend of ['wasm', 'cpu']) {
    it.each([[[2, 5, 7, 3]], [[1, 4, 4, 8]], [[6, 4]]])(`on ${backend}, x %j`, async (shape) => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const ours = paramGrads(fused, shape);
      const reference = paramGrads(byHand, shape);
      ours.forEach((g, i) => expect(relErr(g, reference[i]!)).toBeLessThan(1e-4));
      expect(relErr(trainingGrad(fused, shape), trainingGrad(byHand, shape))).toBeLessThan(1e-4);
      expect(tf.memory().numTensors).toBe(before);
      await tf.setBackend('wasm');
    });
  }
});
