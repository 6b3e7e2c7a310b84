/**
 * SkipSeg's MaxPoolGrad on wasm (windows that tile the input) against the cpu backend's,
 * with ties and windows of values ≤ 0 (what pooling after a ReLU sees), odd sizes whose last
 * row and column no window reaches, and the stock kernel's cases (overlapping windows).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initWasm } from '../../../src-main/engine/wasm/setup';

beforeAll(async () => {
  await initWasm();
});

/**
 * Coarse: values in {−1, 0, 1, 2}, so ties in most windows and some windows with nothing
 * above 0. Fine: distinct positive values, where every tie rule agrees.
 */
function seeded(shape: number[], seed: number, coarse: boolean): Float32Array {
  let s = seed;
  return new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return coarse ? Math.floor((s / 2147483648) * 4) - 1 : 1 + s / 2147483648;
  });
}

type Pad = 'valid' | 'same';

async function poolGrad(backend: string, shape: number[], size: number, stride: number, pad: Pad) {
  const before = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return tf.tidy(() => {
      // The stock kernel (overlapping windows) has its own tie rule: no ties for it.
      const coarse = size === stride;
      const x = tf.tensor4d(seeded(shape, 3, coarse), shape as [number, number, number, number]);
      const f = (t: tf.Tensor) => {
        const y = tf.maxPool(t as tf.Tensor4D, size, stride, pad);
        return tf.sum(tf.mul(y, tf.tensor(seeded(y.shape, 5, true), y.shape)));
      };
      return tf.grad(f)(x).dataSync().slice();
    });
  } finally {
    await tf.setBackend(before);
  }
}

describe('MaxPoolGrad on wasm', () => {
  it.each([
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[1, 9, 7, 5], 2, 2, 'valid'],
    [[2, 6, 9, 4], 3, 3, 'valid'],
    [[1, 8, 8, 2], 3, 2, 'same'],
  ] as [number[], number, number, Pad][])('x %j, window %i, stride %i, %s', async (...c) => {
    const [shape, size, stride, pad] = c;
    const tensors = tf.memory().numTensors;
    const wasm = await poolGrad('wasm', shape, size, stride, pad);
    expect(tf.memory().numTensors).toBe(tensors);
    const cpu = await poolGrad('cpu', shape, size, stride, pad);
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
  });
});
